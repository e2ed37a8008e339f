// Metadata (Kafka key 3, v1-6): this broker, by its advertised Kafka
// address, as node 0, the controller and every partition's leader
// (standalone: one replica); topics named (auto-created when the broker
// allows it and the client asks), or every topic for a null list.
#include "broker/core/produce.h"
#include "broker/core/topic_queries.h"
#include "broker/kafka/kafka_handlers.h"

namespace strata::broker::kafka {

namespace {

constexpr std::int32_t kNodeId = 0;

wire::MetadataTopic describe(const KafkaCall& call, TopicStats stats) {
  wire::MetadataTopic t;
  t.name = std::move(stats.name);
  t.error = error_for(call, stats.error);
  for (const auto& p : stats.partitions) {
    auto& out = t.partitions.emplace_back();
    out.error = error_for(call, p.error);
    out.partition = static_cast<std::int32_t>(p.partition);
    out.leader = kNodeId;
    out.replicas = {kNodeId};
    out.isr = {kNodeId};
  }
  return t;
}

}  // namespace

awaitable<Response> metadata_api(KafkaCall call, wire::MetadataRequest request) {
  wire::MetadataResponse response;
  const AdvertisedAddress& address = call.codec.advertised();
  response.brokers.push_back({kNodeId, address.host, address.port, std::nullopt});
  response.cluster_id = "strata";
  response.controller_id = kNodeId;
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
    response.topics.push_back(describe(call, std::move(stats)));
  }
  co_return kafka_frame(call, response);
}

}  // namespace strata::broker::kafka
