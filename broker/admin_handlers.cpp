// ApiVersions, Metadata, CreateTopic, DeleteTopic, DescribeConfigs,
// AlterConfigs and DescribeRetention.
#include <map>

#include "broker/metrics.h"
#include "broker/partition_ops.h"
#include "broker/request_handlers.h"

namespace strata::broker {

using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

Response api_versions(std::uint32_t correlation_id) {
  protocol::ApiVersionsResponse m;
  for (std::uint16_t k = 0; k < protocol::kApiKeyCount; ++k) m.apis.push_back({static_cast<ApiKey>(k), 0, 0});
  return encode_response(correlation_id, m);
}

// Per-partition answers of a topic from the shards that own them, in
// partition order. T has a `partition` field; each shard answers for its
// partitions in one call.
template <typename T>
awaitable<std::vector<T>> from_owning_shards(Broker& broker, TopicPtr topic,
                                             awaitable<std::vector<T>> (*on_shard)(Shard&, std::vector<PartitionKey>)) {
  std::map<unsigned, std::vector<PartitionKey>> by_shard;
  for (std::uint32_t p = 0; p < topic->shard_of.size(); ++p) by_shard[topic->shard_of[p]].push_back({topic->name, p});
  std::vector<T> out(topic->shard_of.size());
  for (auto& [s, keys] : by_shard) {
    Shard& shard = broker.shard(s);
    auto answered = co_await asio::co_spawn(shard.context(), on_shard(shard, keys), asio::use_awaitable);
    for (auto& m : answered) out[m.partition] = std::move(m);
  }
  co_return out;
}

awaitable<protocol::TopicMetadata> describe_topic(Broker& broker, std::string name) {
  protocol::TopicMetadata t;
  t.name = name;
  TopicPtr topic = broker.topics().find(name);
  if (!topic) {
    t.error = broker.topics().deleting(name) ? ErrorCode::topic_being_deleted : ErrorCode::unknown_topic;
    co_return t;
  }
  t.partitions = co_await from_owning_shards(broker, topic, &describe_on_shard);
  co_return t;
}

awaitable<Response> describe_retention(Broker& broker, std::uint32_t correlation_id, std::string name) {
  protocol::DescribeRetentionResponse m;
  if (TopicPtr topic = broker.topics().find(name)) {
    m.partitions = co_await from_owning_shards(broker, topic, &retention_on_shard);
  } else {
    m.error = ErrorCode::unknown_topic;
    m.message = "topic '" + name + "' does not exist";
  }
  co_return encode_response(correlation_id, m);
}

awaitable<Response> metadata(Broker& broker, std::uint32_t correlation_id, protocol::MetadataRequest request) {
  if (request.topics.empty()) {
    for (const auto& t : broker.topics().list()) request.topics.push_back(t->name);
    // Listed too, with TOPIC_BEING_DELETED, so the name's state is visible.
    for (auto& name : broker.topics().deleting_names()) request.topics.push_back(std::move(name));
  }
  protocol::MetadataResponse m;
  for (const auto& name : request.topics) {
    m.topics.push_back(co_await describe_topic(broker, name));
    count_error(ApiKey::metadata, m.topics.back().error);
  }
  co_return encode_response(correlation_id, m);
}

Response describe_configs(Broker& broker, std::uint32_t correlation_id, const std::string& name) {
  protocol::DescribeConfigsResponse m;
  if (TopicPtr topic = broker.topics().find(name)) {
    m.configs = describe_topic_config(topic->config);
  } else {
    m.error = ErrorCode::unknown_topic;
    m.message = "topic '" + name + "' does not exist";
    count_error(ApiKey::describe_configs, m.error);
  }
  return encode_response(correlation_id, m);
}

// Runs on the admin shard, where ProducerIds lives.
awaitable<protocol::InitProducerIdResponse> init_producer_id(Broker& broker, protocol::InitProducerIdRequest request) {
  co_return broker.init_producer_id(request);
}

}  // namespace

awaitable<Response> handle_admin(Broker& broker, protocol::RequestHeader header, protocol::Bytes body) {
  const auto id = header.correlation_id;
  asio::io_context& admin = broker.shard(0).context();
  switch (header.api_key) {
    case ApiKey::api_versions: {
      if (!decode_body<protocol::ApiVersionsRequest>(body)) co_return invalid_request(id, "malformed ApiVersions");
      co_return api_versions(id);
    }
    case ApiKey::init_producer_id: {
      auto req = decode_body<protocol::InitProducerIdRequest>(body);
      if (!req) co_return invalid_request(id, "malformed InitProducerId request");
      auto result = co_await asio::co_spawn(admin, init_producer_id(broker, *req), asio::use_awaitable);
      co_return encode_response(id, result);
    }
    case ApiKey::metadata: {
      auto req = decode_body<protocol::MetadataRequest>(body);
      if (!req) co_return invalid_request(id, "malformed Metadata request");
      co_return co_await metadata(broker, id, std::move(*req));
    }
    case ApiKey::create_topic: {
      auto req = decode_body<protocol::CreateTopicRequest>(body);
      if (!req) co_return invalid_request(id, "malformed CreateTopic request");
      auto result = co_await asio::co_spawn(admin, broker.create_topic(std::move(*req)), asio::use_awaitable);
      count_error(header.api_key, result.error);
      co_return encode_response(id, result);
    }
    case ApiKey::delete_topic: {
      auto req = decode_body<protocol::TopicRequest>(body);
      if (!req) co_return invalid_request(id, "malformed DeleteTopic request");
      auto result = co_await asio::co_spawn(admin, broker.delete_topic(std::move(req->name)), asio::use_awaitable);
      count_error(header.api_key, result.error);
      co_return encode_response(id, result);
    }
    case ApiKey::describe_configs: {
      auto req = decode_body<protocol::TopicRequest>(body);
      if (!req) co_return invalid_request(id, "malformed DescribeConfigs request");
      co_return describe_configs(broker, id, req->name);
    }
    case ApiKey::describe_retention: {
      auto req = decode_body<protocol::TopicRequest>(body);
      if (!req) co_return invalid_request(id, "malformed DescribeRetention request");
      co_return co_await describe_retention(broker, id, std::move(req->name));
    }
    case ApiKey::alter_configs: {
      auto req = decode_body<protocol::AlterConfigsRequest>(body);
      if (!req) co_return invalid_request(id, "malformed AlterConfigs request");
      auto result = co_await asio::co_spawn(admin, broker.alter_configs(std::move(*req)), asio::use_awaitable);
      count_error(header.api_key, result.error);
      co_return encode_response(id, result);
    }
    default: co_return invalid_request(id, "not an admin API");
  }
}

}  // namespace strata::broker
