// Metadata (Kafka key 3, v1-6): standalone, this broker, by its advertised
// Kafka address, as node 0, the controller and every partition's leader (one
// replica); in cluster mode every live broker with a Kafka listener, by node
// id and advertised Kafka address, the controller, and each partition's
// leader from the cluster's metadata (LEADER_NOT_AVAILABLE while its broker
// is down), so a Kafka client routes each partition to its leader. Topics
// named (auto-created when the broker allows it and the client asks), or
// every topic for a null list.
#include "broker/core/produce.h"
#include "broker/core/topic_queries.h"
#include "broker/kafka/kafka_handlers.h"

namespace strata::broker::kafka {

namespace {

constexpr std::int32_t kNodeId = 0;

// `leaders`: cluster mode, the topic's leader per partition (-1: none);
// nullptr standalone (this broker, node 0, leads every partition).
wire::MetadataTopic describe(const KafkaCall& call, TopicStats stats, const std::vector<std::int32_t>* leaders) {
  wire::MetadataTopic t;
  t.name = std::move(stats.name);
  t.error = error_for(call, stats.error);
  for (const auto& p : stats.partitions) {
    auto& out = t.partitions.emplace_back();
    out.partition = static_cast<std::int32_t>(p.partition);
    std::int32_t leader = kNodeId;
    Errc error = p.error;
    if (leaders != nullptr) {  // this broker's own answer for another's partition is not_leader: not an error here
      leader = p.partition < leaders->size() ? (*leaders)[p.partition] : -1;
      error = leader >= 0 ? Errc::none : Errc::leader_not_available;
    }
    out.error = error_for(call, error);
    out.leader = leader;
    out.replicas = {leader};
    out.isr = {leader};
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
    const std::vector<std::int32_t>* leaders = nullptr;
    if (cluster) {
      const auto it = cluster->leaders.find(stats.name);
      static const std::vector<std::int32_t> kNone;
      leaders = it == cluster->leaders.end() ? &kNone : &it->second;
    }
    response.topics.push_back(describe(call, std::move(stats), leaders));
  }
  co_return kafka_frame(call, response);
}

}  // namespace strata::broker::kafka
