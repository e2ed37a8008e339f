#include "client/client.h"

#include <chrono>
#include <thread>

#include <cstdlib>

namespace strata::client {

using protocol::ApiKey;
using protocol::ErrorCode;

}  // namespace strata::client

namespace strata {

std::string default_broker_address() {
  const char* env = std::getenv("STRATA_BROKER");
  return env != nullptr && *env != '\0' ? env : "127.0.0.1:9392";
}

}  // namespace strata

namespace strata::client {

void check(const protocol::StatusResponse& status) {
  if (status.error != ErrorCode::none) throw ClientError::from_broker(status.error, status.message);
}

Client::Client(ClientOptions options)
    : options_(std::move(options)), routes_(options_.connect_timeout_ms, options_.client_id) {
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
  if (connection_ && connection_->healthy()) return connection_;
  try {
    connection_ = Connection::open(options_.broker, options_.connect_timeout_ms, options_.client_id);
  } catch (const ClientError& bootstrap_down) {
    // Cluster mode: any live broker answers metadata and admin calls.
    for (const std::string& address : routes_.addresses()) {
      try {
        connection_ = Connection::open(address, options_.connect_timeout_ms, options_.client_id);
        return connection_;
      } catch (const ClientError&) {
        // The next one.
      }
    }
    throw;
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
  // Version 1, so every lookup (a producer's or consumer's first, of the
  // partition count) also learns the routes: the first produce or fetch
  // then asks nothing more, even standalone, where the answer names no
  // brokers.
  return cluster_metadata(topics).base.topics;
}

protocol::MetadataResponseV1 Client::cluster_metadata(const std::vector<std::string>& topics) {
  auto m = call<protocol::MetadataResponseV1>(ApiKey::metadata, protocol::MetadataRequest{topics}, 1);
  routes_.update(m);
  std::lock_guard lock(mu_);
  for (const auto& t : m.base.topics) {
    if (t.error == ErrorCode::none) partitions_[t.name] = static_cast<std::uint32_t>(t.partitions.size());
  }
  return m;
}

protocol::MetadataResponseV1 Client::topic_from_leaders(const std::string& name) {
  protocol::MetadataResponseV1 m = cluster_metadata({name});
  if (m.brokers.empty() || m.base.topics.size() != 1 || m.leaders.size() != 1) return m;
  auto& topic = m.base.topics[0];
  std::map<std::int32_t, std::vector<protocol::PartitionMetadata>> asked;  // leader -> its answer
  for (std::size_t i = 0; i < topic.partitions.size() && i < m.leaders[0].size(); ++i) {
    auto& p = topic.partitions[i];
    const std::int32_t leader = m.leaders[0][i];
    if (p.error != ErrorCode::not_leader || leader < 0) continue;
    if (!asked.contains(leader)) {
      auto& answer = asked[leader];
      try {
        if (auto c = routes_.connection_to(leader)) {
          ResponseFrame frame = c->call(
              ApiKey::metadata, [&name](protocol::ByteWriter& w) { protocol::MetadataRequest{{name}}.encode(w); },
              options_.request_timeout_ms);
          protocol::ByteReader r(frame.body());
          auto v0 = protocol::MetadataResponse::decode(r);
          if (r.ok() && r.remaining() == 0 && v0.topics.size() == 1) answer = std::move(v0.topics[0].partitions);
        }
      } catch (const ClientError&) {
        // Unreachable or not answering: its partitions say so below, the
        // others are still described.
      }
    }
    const auto& answer = asked[leader];
    // The leader's own entry for this partition, matched by number.
    if (i < answer.size() && answer[i].partition == p.partition && answer[i].error == ErrorCode::none) {
      p = answer[i];
    } else {
      p.error = ErrorCode::leader_not_available;  // its leader could not tell us: not "the broker asked"'s NOT_LEADER
    }
  }
  return m;
}

std::optional<Client::Route> Client::route_for(const std::string& topic, std::uint32_t partition) {
  std::optional<std::int32_t> leader;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto clustered = routes_.clustered();
    if (clustered && !*clustered) return std::nullopt;
    leader = routes_.leader(topic, partition);
    if (leader) {
      std::string address = routes_.address_of(*leader);
      if (!address.empty()) return Route{*leader, std::move(address)};
    }
    if (attempt == 0) {
      const auto m = cluster_metadata({topic});
      // Cluster mode, and the topic is gone (or being deleted): that, not
      // "no leader", is the partition's error.
      if (!m.brokers.empty() && m.base.topics.size() == 1 && m.base.topics[0].error != ErrorCode::none) {
        throw ClientError::from_broker(m.base.topics[0].error, "topic '" + topic + "'");
      }
    }
  }
  const std::string where = "topic '" + topic + "' partition " + std::to_string(partition);
  if (!leader) leader = routes_.last_leader(topic, partition);
  throw ClientError::from_broker(ErrorCode::leader_not_available,
                                 leader ? where + " is on broker " + std::to_string(*leader) +
                                              ", which is down (not among the cluster's live brokers)"
                                        : where + " has no leader now");
}

std::shared_ptr<Connection> Client::connection_for(const std::string& topic, std::uint32_t partition) {
  const auto route = route_for(topic, partition);
  if (!route) return connection();
  if (auto c = routes_.connection_to(route->node)) return c;
  // The broker left between the two lookups.
  throw ClientError::from_broker(ErrorCode::leader_not_available, "topic '" + topic + "' partition " +
                                                                      std::to_string(partition) + "'s broker " +
                                                                      std::to_string(route->node) + " just left");
}

bool Client::stale_route(const ClientError& e) noexcept {
  return e.kind() == ClientError::Kind::network || e.code() == ErrorCode::not_leader ||
         e.code() == ErrorCode::leader_not_available;
}

std::vector<protocol::ConfigEntry> Client::describe_configs(const std::string& topic) {
  auto response = call<protocol::DescribeConfigsResponse>(ApiKey::describe_configs, protocol::TopicRequest{topic});
  if (response.error != ErrorCode::none) throw ClientError::from_broker(response.error, response.message);
  return response.configs;
}

void Client::alter_configs(const std::string& topic, const std::vector<protocol::ConfigEntry>& configs) {
  check(call<protocol::StatusResponse>(ApiKey::alter_configs, protocol::AlterConfigsRequest{topic, configs}));
}

namespace {
std::vector<protocol::PartitionRetention> retention_via(Connection& c, const std::string& topic, int timeout_ms) {
  ResponseFrame frame = c.call(
      ApiKey::describe_retention, [&topic](protocol::ByteWriter& w) { protocol::TopicRequest{topic}.encode(w); },
      timeout_ms);
  protocol::ByteReader r(frame.body());
  auto response = protocol::DescribeRetentionResponse::decode(r);
  if (!r.ok() || r.remaining() != 0) throw ClientError::network("malformed DescribeRetention response from " + c.address());
  if (response.error != ErrorCode::none) throw ClientError::from_broker(response.error, response.message);
  return std::move(response.partitions);
}
}  // namespace

std::vector<protocol::PartitionRetention> Client::describe_retention(const std::string& topic) {
  auto partitions = retention_via(*connection(), topic, options_.request_timeout_ms);
  // Cluster mode: a broker's copy of a partition it does not lead is empty,
  // so each partition's answer comes from its leader.
  const protocol::MetadataResponseV1 m = cluster_metadata({topic});
  if (m.brokers.empty() || m.leaders.size() != 1) return partitions;
  std::map<std::int32_t, std::vector<protocol::PartitionRetention>> by_leader;
  for (auto& p : partitions) {
    const std::int32_t leader = p.partition < m.leaders[0].size() ? m.leaders[0][p.partition] : -1;
    std::shared_ptr<Connection> c = leader >= 0 ? routes_.connection_to(leader) : nullptr;
    if (!c) {
      p.error = ErrorCode::leader_not_available;
      p.reason_text = "unknown: LEADER_NOT_AVAILABLE (the partition's broker is down)";
      continue;
    }
    if (!by_leader.contains(leader)) by_leader[leader] = retention_via(*c, topic, options_.request_timeout_ms);
    for (const auto& answer : by_leader[leader]) {
      if (answer.partition == p.partition) p = answer;
    }
  }
  return partitions;
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
  const auto encode = [&request](protocol::ByteWriter& w) { request.encode(w); };
  // Asked of the partition's leader; a stale route (NOT_LEADER, a broker
  // that just went away) is refreshed and asked once more.
  for (int attempt = 0;; ++attempt) {
    try {
      ResponseFrame frame = connection_for(topic, partition)->call(ApiKey::list_offsets, encode,
                                                                    options_.request_timeout_ms);
      protocol::ByteReader r(frame.body());
      const auto response = protocol::ListOffsetsResponse::decode(r);
      if (!r.ok() || r.remaining() != 0 || response.topics.size() != 1 ||
          response.topics[0].partitions.size() != 1) {
        throw ClientError::network("ListOffsets response does not match the request");
      }
      const auto& p = response.topics[0].partitions[0];
      if (p.error != ErrorCode::none) {
        throw ClientError::from_broker(p.error, "topic '" + topic + "' partition " + std::to_string(partition));
      }
      return p.offset;
    } catch (const ClientError& e) {
      if (!stale_route(e)) throw;
      forget_leaders(topic);
      if (attempt > 0 || routes_.clustered() != std::optional<bool>(true)) throw;
    }
  }
}

std::uint32_t Client::partition_count_for_produce(const std::string& topic) {
  try {
    return partition_count(topic);
  } catch (const ClientError& e) {
    if (e.code() != ErrorCode::unknown_topic) throw;
    protocol::ProduceRequest ensure;
    ensure.topics.push_back({topic, {}});
    (void)call<protocol::ProduceResponse>(ApiKey::produce, ensure);
    try {
      return partition_count(topic, true);
    } catch (const ClientError&) {
      throw e;  // auto.create.topics is off: the first error says what to do
    }
  }
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
