// ApiVersions, Metadata, CreateTopic, DeleteTopic, DescribeConfigs,
// AlterConfigs and DescribeRetention.
#include <map>

#include "broker/ops/metrics.h"
#include "broker/core/partition_ops.h"
#include "broker/native/request_handlers.h"

namespace strata::broker {

using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

// Admin work runs on shard 0, where topics are created and ids allocated.
asio::io_context& admin_context(Broker& broker) { return broker.shard(0).context(); }

// Runs an admin operation (not yet started) on shard 0, counts its error and
// encodes its answer. `r` outlives the call (the handler awaits it).
awaitable<Response> status_on_admin(const ApiRequest& r, awaitable<protocol::StatusResponse> op) {
  auto result = co_await asio::co_spawn(admin_context(r.broker), std::move(op), asio::use_awaitable);
  count_error(r.header.api_key, result.error);
  Response out = encode_response(r.header.correlation_id, result);
  co_return out;
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

awaitable<Response> api_versions_api(ApiRequest r) {
  if (!decode_body<protocol::ApiVersionsRequest>(r.body())) {
    co_return invalid_request(r.header.correlation_id, "malformed ApiVersions");
  }
  // Named locals, not temporaries in the co_return: GCC 12 mishandles
  // aggregate temporaries in coroutine expressions (request_dispatch.cpp).
  protocol::ApiVersionsResponse versions;
  versions.apis = r.table.versions();
  Response out = encode_response(r.header.correlation_id, versions);
  co_return out;
}

awaitable<Response> init_producer_id_api(ApiRequest r) {
  auto req = decode_body<protocol::InitProducerIdRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed InitProducerId request");
  auto result = co_await asio::co_spawn(admin_context(r.broker), init_producer_id(r.broker, *req), asio::use_awaitable);
  co_return encode_response(r.header.correlation_id, result);
}

awaitable<Response> metadata_api(ApiRequest r) {
  auto req = decode_body<protocol::MetadataRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed Metadata request");
  co_return co_await metadata(r.broker, r.header.correlation_id, std::move(*req));
}

awaitable<Response> create_topic_api(ApiRequest r) {
  auto req = decode_body<protocol::CreateTopicRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed CreateTopic request");
  auto op = r.broker.create_topic(std::move(*req));
  Response out = co_await status_on_admin(r, std::move(op));
  co_return out;
}

awaitable<Response> delete_topic_api(ApiRequest r) {
  auto req = decode_body<protocol::TopicRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed DeleteTopic request");
  auto op = r.broker.delete_topic(std::move(req->name));
  Response out = co_await status_on_admin(r, std::move(op));
  co_return out;
}

awaitable<Response> describe_configs_api(ApiRequest r) {
  auto req = decode_body<protocol::TopicRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed DescribeConfigs request");
  co_return describe_configs(r.broker, r.header.correlation_id, req->name);
}

awaitable<Response> describe_retention_api(ApiRequest r) {
  auto req = decode_body<protocol::TopicRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed DescribeRetention request");
  co_return co_await describe_retention(r.broker, r.header.correlation_id, std::move(req->name));
}

awaitable<Response> alter_configs_api(ApiRequest r) {
  auto req = decode_body<protocol::AlterConfigsRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed AlterConfigs request");
  auto op = r.broker.alter_configs(std::move(*req));
  Response out = co_await status_on_admin(r, std::move(op));
  co_return out;
}

}  // namespace strata::broker
