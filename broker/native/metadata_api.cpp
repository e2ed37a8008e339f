// Metadata (API 4): every partition's ends and size, for the topics named
// (none named: every topic, and those being deleted). Version 1 adds the
// brokers, the controller and each partition's leader (protocol/metadata_v1.h);
// version 2 each partition's replicas, ISR and leader epoch (metadata_v2.h).
#include "broker/core/topic_queries.h"
#include "broker/native/request_handlers.h"
#include "broker/ops/metrics.h"
#include "protocol/metadata_v2.h"

namespace strata::broker {

namespace {

protocol::MetadataResponseV1 with_leaders(const ClusterSummary& summary, protocol::MetadataResponse base) {
  protocol::MetadataResponseV1 v1;
  for (const auto& b : summary.brokers) v1.brokers.push_back({b.id, b.host, b.port});
  v1.controller = summary.controller;
  for (const auto& t : base.topics) {
    std::vector<std::int32_t> leaders(t.partitions.size(), -1);
    const auto known = summary.leaders.find(t.name);
    if (known != summary.leaders.end()) {
      for (std::size_t p = 0; p < leaders.size() && p < known->second.size(); ++p) leaders[p] = known->second[p];
    }
    v1.leaders.push_back(std::move(leaders));
  }
  v1.base = std::move(base);
  return v1;
}

protocol::MetadataResponseV2 with_replicas(const ClusterSummary& summary, protocol::MetadataResponse base) {
  protocol::MetadataResponseV2 v2;
  v2.v1 = with_leaders(summary, std::move(base));
  for (const auto& t : v2.v1.base.topics) {
    std::vector<protocol::PartitionReplicas> parts(t.partitions.size());
    const auto known = summary.replicas.find(t.name);
    if (known != summary.replicas.end()) {
      for (std::size_t p = 0; p < parts.size() && p < known->second.size(); ++p) {
        parts[p] = {known->second[p].replicas, known->second[p].isr, known->second[p].leader_epoch};
      }
    }
    v2.replicas.push_back(std::move(parts));
  }
  return v2;
}

}  // namespace

awaitable<Response> metadata_api(ApiRequest r) {
  auto request = decode_body<protocol::MetadataRequest>(r.body());
  if (!request) co_return invalid_request(r.header.correlation_id, "malformed Metadata request");
  if (request->topics.empty()) request->topics = topic_names(r.broker);
  protocol::MetadataResponse m;
  for (const auto& name : request->topics) {
    TopicStats stats = co_await describe_topic(r.broker, name);
    protocol::TopicMetadata& t = m.topics.emplace_back();
    t.name = std::move(stats.name);
    t.error = native::to_wire(stats.error);
    const ClusterHooks* cluster = r.broker.cluster();
    for (const auto& p : stats.partitions) {
      // Cluster mode: only the leader's numbers mean anything; elsewhere the
      // partition says why not (NOT_LEADER naming it, LEADER_NOT_AVAILABLE).
      const Status routed = cluster && t.error == protocol::ErrorCode::none ? cluster->route(t.name, p.partition)
                                                                             : Status{};
      if (!routed.ok()) {
        t.partitions.push_back({p.partition, native::to_wire(routed.code), 0, 0, 0});
        continue;
      }
      t.partitions.push_back({p.partition, native::to_wire(p.error), p.log_start, p.log_end, p.size_bytes});
    }
    count_error(protocol::ApiKey::metadata, t.error);
  }
  if (r.header.api_version == 0) co_return encode_response(r.header.correlation_id, m);
  const ClusterHooks* cluster = r.broker.cluster();
  const ClusterSummary summary = cluster ? cluster->summary() : ClusterSummary{};
  if (r.header.api_version == 1) co_return encode_response(r.header.correlation_id, with_leaders(summary, std::move(m)));
  co_return encode_response(r.header.correlation_id, with_replicas(summary, std::move(m)));
}

}  // namespace strata::broker
