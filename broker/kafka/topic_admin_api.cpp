// CreateTopics (Kafka key 19, v0-4) and DeleteTopics (key 20, v0-1): one
// admin call of the service per topic, on shard 0. Configs go through
// Kafka's mapping (protocol/kafka/topic_configs.h), so Kafka and strata
// clients get the same keys and limits. Standalone has one replica: a
// replication factor other than 1 (or -1, the default) and manual replica
// assignments are refused.
#include "broker/kafka/kafka_config_settings.h"
#include "broker/kafka/kafka_handlers.h"
#include "protocol/kafka/topic_configs.h"

namespace strata::broker::kafka {

namespace {

// The topic's refusal before the service is asked, or nullopt.
std::optional<wire::CreateTopicResult> precheck(const wire::CreatableTopic& t, const wire::ConfigChanges& changes) {
  if (t.replication_factor != -1 && t.replication_factor != 1) {
    return wire::CreateTopicResult{t.name, wire::KafkaError::invalid_replication_factor,
                                   "replication factor " + std::to_string(t.replication_factor) +
                                       ": this standalone broker keeps one replica; use 1 or -1"};
  }
  if (!t.assignments.empty()) {
    return wire::CreateTopicResult{t.name, wire::KafkaError::invalid_replica_assignment,
                                   "manual replica assignments are not supported; give a partition count"};
  }
  if (t.num_partitions == 0 || t.num_partitions < -1) {
    return wire::CreateTopicResult{t.name, wire::KafkaError::invalid_partitions,
                                   "partition count " + std::to_string(t.num_partitions) +
                                       ": give at least 1, or -1 for the broker's default"};
  }
  if (changes.error != wire::KafkaError::none) return wire::CreateTopicResult{t.name, changes.error, changes.message};
  return std::nullopt;
}

}  // namespace

awaitable<Response> create_topics_api(KafkaCall call, wire::CreateTopicsRequest request) {
  wire::CreateTopicsResponse response;
  for (const auto& t : request.topics) {
    const wire::ConfigChanges changes = wire::changes_for_create(t.configs);
    if (auto refused = precheck(t, changes)) {
      response.topics.push_back(std::move(*refused));
      continue;
    }
    auto& out = response.topics.emplace_back();
    out.name = t.name;
    if (request.validate_only) {
      if (call.broker.topics().find(t.name)) out.error = wire::KafkaError::topic_already_exists;
      continue;
    }
    TopicSpec spec;
    spec.name = t.name;
    spec.partitions = t.num_partitions == -1 ? call.broker.config().topic_defaults.partitions
                                             : static_cast<std::uint32_t>(t.num_partitions);
    spec.configs = settings_for(call.broker.config().topic_defaults, changes);
    const Status status = co_await on_admin(call.broker, call.broker.create_topic(std::move(spec)));
    out.error = error_for(call, status.code);
    if (!status.ok()) out.error_message = status.message;
  }
  co_return kafka_frame(call, response);
}

awaitable<Response> delete_topics_api(KafkaCall call, wire::DeleteTopicsRequest request) {
  wire::DeleteTopicsResponse response;
  for (const auto& name : request.topic_names) {
    const Status status = co_await on_admin(call.broker, call.broker.delete_topic(name));
    response.topics.push_back({name, error_for(call, status.code)});
  }
  co_return kafka_frame(call, response);
}

}  // namespace strata::broker::kafka
