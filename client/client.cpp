#include "client/client.h"

#include <chrono>
#include <thread>

#include <cstdlib>

namespace strata::client {

using protocol::ApiKey;
using protocol::ErrorCode;

std::string default_broker_address() {
  const char* env = std::getenv("STRATA_BROKER");
  return env != nullptr && *env != '\0' ? env : "127.0.0.1:9092";
}

void check(const protocol::StatusResponse& status) {
  if (status.error != ErrorCode::none) throw ClientError::from_broker(status.error, status.message);
}

Client::Client(ClientOptions options) : options_(std::move(options)) {
  auto versions = call<protocol::ApiVersionsResponse>(ApiKey::api_versions, protocol::ApiVersionsRequest{});
  for (std::uint16_t k = 0; k < protocol::kApiKeyCount; ++k) {
    bool supported = false;
    for (const auto& a : versions.apis) supported = supported || (static_cast<std::uint16_t>(a.api_key) == k && a.min_version == 0);
    if (!supported) {
      throw ClientError::usage("broker at " + options_.broker + " does not support " +
                               std::string(protocol::api_name(static_cast<ApiKey>(k))) + " version 0");
    }
  }
}

std::shared_ptr<Connection> Client::connection() {
  std::lock_guard lock(mu_);
  if (!connection_ || !connection_->healthy()) {
    connection_ = Connection::open(options_.broker, options_.connect_timeout_ms, options_.client_id);
  }
  return connection_;
}

void Client::create_topic(const std::string& name, std::uint32_t partitions,
                          const std::vector<protocol::ConfigEntry>& configs) {
  const protocol::CreateTopicRequest request{name, partitions, configs};
  auto status = call<protocol::StatusResponse>(ApiKey::create_topic, request);
  for (int i = 0; i < 300 && status.error == ErrorCode::topic_being_deleted; ++i) {  // 30 s
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = call<protocol::StatusResponse>(ApiKey::create_topic, request);
  }
  check(status);
}

void Client::delete_topic(const std::string& name) {
  check(call<protocol::StatusResponse>(ApiKey::delete_topic, protocol::TopicRequest{name}));
  std::lock_guard lock(mu_);
  partitions_.erase(name);
}

std::vector<protocol::TopicMetadata> Client::metadata(const std::vector<std::string>& topics) {
  auto response = call<protocol::MetadataResponse>(ApiKey::metadata, protocol::MetadataRequest{topics});
  std::lock_guard lock(mu_);
  for (const auto& t : response.topics) {
    if (t.error == ErrorCode::none) partitions_[t.name] = static_cast<std::uint32_t>(t.partitions.size());
  }
  return response.topics;
}

protocol::MetadataResponseV1 Client::cluster_metadata(const std::vector<std::string>& topics) {
  return call<protocol::MetadataResponseV1>(ApiKey::metadata, protocol::MetadataRequest{topics}, 1);
}

std::vector<protocol::ConfigEntry> Client::describe_configs(const std::string& topic) {
  auto response = call<protocol::DescribeConfigsResponse>(ApiKey::describe_configs, protocol::TopicRequest{topic});
  if (response.error != ErrorCode::none) throw ClientError::from_broker(response.error, response.message);
  return response.configs;
}

void Client::alter_configs(const std::string& topic, const std::vector<protocol::ConfigEntry>& configs) {
  check(call<protocol::StatusResponse>(ApiKey::alter_configs, protocol::AlterConfigsRequest{topic, configs}));
}

std::vector<protocol::PartitionRetention> Client::describe_retention(const std::string& topic) {
  auto response =
      call<protocol::DescribeRetentionResponse>(ApiKey::describe_retention, protocol::TopicRequest{topic});
  if (response.error != ErrorCode::none) throw ClientError::from_broker(response.error, response.message);
  return response.partitions;
}

ProducerIdentity Client::init_producer_id(std::optional<ProducerIdentity> current) {
  protocol::InitProducerIdRequest request;
  if (current) {
    request.producer_id = current->id;
    request.producer_epoch = current->epoch;
  }
  auto response = call<protocol::InitProducerIdResponse>(ApiKey::init_producer_id, request);
  if (response.error != ErrorCode::none) throw ClientError::from_broker(response.error, response.message);
  return {response.producer_id, response.producer_epoch};
}

std::int64_t Client::list_offset(const std::string& topic, std::uint32_t partition, std::int64_t timestamp) {
  protocol::ListOffsetsRequest request;
  request.topics.push_back({topic, {{partition, timestamp}}});
  auto response = call<protocol::ListOffsetsResponse>(ApiKey::list_offsets, request);
  if (response.topics.size() != 1 || response.topics[0].partitions.size() != 1) {
    throw ClientError::network("ListOffsets response does not match the request");
  }
  const auto& p = response.topics[0].partitions[0];
  if (p.error != ErrorCode::none) {
    throw ClientError::from_broker(p.error, "topic '" + topic + "' partition " + std::to_string(partition));
  }
  return p.offset;
}

void Client::check_partition(const std::string& topic, std::uint32_t partition) {
  std::uint32_t count = partition_count(topic);
  if (partition >= count) count = partition_count(topic, true);
  if (partition >= count) {
    throw ClientError::from_broker(ErrorCode::unknown_partition,
                                   "topic '" + topic + "' has partitions 0.." + std::to_string(count - 1));
  }
}

std::uint32_t Client::partition_count(const std::string& topic, bool refresh) {
  {
    std::lock_guard lock(mu_);
    auto it = partitions_.find(topic);
    if (!refresh && it != partitions_.end()) return it->second;
  }
  auto topics = metadata({topic});
  if (topics.size() != 1 || topics[0].error != ErrorCode::none) {
    const ErrorCode code = topics.size() == 1 ? topics[0].error : ErrorCode::unknown_topic;
    throw ClientError::from_broker(code, code == ErrorCode::topic_being_deleted
                                             ? "topic '" + topic + "' is being deleted: retry in a moment"
                                             : "topic '" + topic + "' does not exist");
  }
  return static_cast<std::uint32_t>(topics[0].partitions.size());
}

}  // namespace strata::client
