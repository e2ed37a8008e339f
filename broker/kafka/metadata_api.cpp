// Metadata (Kafka key 3, v1-6): standalone, this broker, by its advertised
// Kafka address, as node 0, the controller and every partition's leader (one
// replica); in cluster mode every live broker with a Kafka listener, by node
// id and advertised Kafka address, the controller, and each partition's
// leader, replicas and ISR from the cluster's metadata (LEADER_NOT_AVAILABLE
// while no broker leads it), so a Kafka client routes each partition to its
// leader. Topics
// named (auto-created when the broker allows it and the client asks), or
// every topic for a null list.
#include "broker/core/produce.h"
#include "broker/core/topic_queries.h"
#include "broker/kafka/kafka_handlers.h"

namespace strata::broker::kafka {

namespace {

constexpr std::int32_t kNodeId = 0;

// `cluster`: cluster mode's view (each partition's leader, -1 when none,
// and its replicas and ISR from etcd); nullptr standalone (this broker,
// node 0, the one replica of every partition).
wire::MetadataTopic describe(const KafkaCall& call, TopicStats stats, const ClusterSummary* cluster) {
  wire::MetadataTopic t;
  t.error = error_for(call, stats.error);
  const std::vector<std::int32_t>* leaders = nullptr;
  const std::vector<ReplicaSummary>* replicas = nullptr;
  if (cluster != nullptr) {
    if (const auto it = cluster->leaders.find(stats.name); it != cluster->leaders.end()) leaders = &it->second;
    if (const auto it = cluster->replicas.find(stats.name); it != cluster->replicas.end()) replicas = &it->second;
  }
  t.name = std::move(stats.name);
  for (const auto& p : stats.partitions) {
    auto& out = t.partitions.emplace_back();
    out.partition = static_cast<std::int32_t>(p.partition);
    if (cluster == nullptr) {
      out.error = error_for(call, p.error);
      out.leader = kNodeId;
      out.replicas = out.isr = {kNodeId};
      continue;
    }
    // This broker's own answer for another's partition is not_leader: not
    // an error here, where the leader is named.
    out.leader = leaders != nullptr && p.partition < leaders->size() ? (*leaders)[p.partition] : -1;
    out.error = error_for(call, out.leader >= 0 ? Errc::none : Errc::leader_not_available);
    if (replicas != nullptr && p.partition < replicas->size()) {
      out.replicas = (*replicas)[p.partition].replicas;
      out.isr = (*replicas)[p.partition].isr;
    } else if (out.leader >= 0) {
      out.replicas = out.isr = {out.leader};
    }
  }
  return t;
}

// The brokers Kafka clients may connect to: standalone this one as node 0;
// in cluster mode each live broker that registered a Kafka listener.
void add_brokers(const KafkaCall& call, const ClusterSummary* cluster, wire::MetadataResponse& response) {
  if (cluster == nullptr) {
    const AdvertisedAddress& address = call.codec.advertised();
    response.brokers.push_back({kNodeId, address.host, address.port, std::nullopt});
    response.cluster_id = "strata";
    response.controller_id = kNodeId;
    return;
  }
  for (const auto& b : cluster->brokers) {
    if (b.kafka_port != 0) response.brokers.push_back({b.id, b.kafka_host, b.kafka_port, std::nullopt});
  }
  response.cluster_id = call.broker.config().cluster_name;
  response.controller_id = cluster->controller;
}

}  // namespace

awaitable<Response> metadata_api(KafkaCall call, wire::MetadataRequest request) {
  wire::MetadataResponse response;
  std::optional<ClusterSummary> cluster;
  if (const ClusterHooks* hooks = call.broker.cluster()) cluster = hooks->summary();
  add_brokers(call, cluster ? &*cluster : nullptr, response);
  const bool all = !request.topics.has_value();
  const std::vector<std::string> names = all ? topic_names(call.broker) : *request.topics;
  for (const auto& name : names) {
    TopicStats stats = co_await describe_topic(call.broker, name);
    if (stats.error == Errc::unknown_topic && !all && request.allow_auto_topic_creation &&
        call.broker.config().auto_create_topics) {
      if (co_await find_or_create_topic(call.broker, name)) stats = co_await describe_topic(call.broker, name);
    }
    // Every topic: those being deleted are left out (Kafka does not list them).
    if (all && stats.error != Errc::none) continue;
    response.topics.push_back(describe(call, std::move(stats), cluster ? &*cluster : nullptr));
  }
  co_return kafka_frame(call, response);
}

}  // namespace strata::broker::kafka
