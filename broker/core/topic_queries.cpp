#include "broker/core/topic_queries.h"

#include <map>

#include "broker/core/broker.h"
#include "broker/core/partition_ops.h"

namespace strata::broker {

namespace {

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

std::string no_such_topic(const std::string& name) { return "topic '" + name + "' does not exist"; }

}  // namespace

std::vector<std::string> topic_names(Broker& broker) {
  std::vector<std::string> names;
  for (const auto& t : broker.topics().list()) names.push_back(t->name);
  for (auto& name : broker.topics().deleting_names()) names.push_back(std::move(name));
  return names;
}

awaitable<TopicStats> describe_topic(Broker& broker, std::string name) {
  TopicStats t;
  t.name = std::move(name);
  TopicPtr topic = broker.topics().find(t.name);
  if (!topic) {
    t.error = broker.topics().deleting(t.name) ? Errc::topic_being_deleted : Errc::unknown_topic;
    co_return t;
  }
  t.partitions = co_await from_owning_shards(broker, topic, &describe_on_shard);
  co_return t;
}

awaitable<TopicRetention> describe_retention(Broker& broker, std::string name) {
  TopicRetention out;
  if (TopicPtr topic = broker.topics().find(name)) {
    out.partitions = co_await from_owning_shards(broker, topic, &retention_on_shard);
  } else {
    out.status = Status::error(Errc::unknown_topic, no_such_topic(name));
  }
  co_return out;
}

TopicConfigs describe_configs(Broker& broker, const std::string& name) {
  TopicConfigs out;
  if (TopicPtr topic = broker.topics().find(name)) {
    out.configs = describe_topic_config(topic->config);
  } else {
    out.status = Status::error(Errc::unknown_topic, no_such_topic(name));
  }
  return out;
}

awaitable<OffsetLookup> list_offset(Broker& broker, std::string topic_name, std::uint32_t partition,
                                    std::int64_t timestamp) {
  TopicPtr topic = broker.topics().find(topic_name);
  if (!topic || partition >= topic->shard_of.size()) {
    OffsetLookup refused;
    refused.partition = partition;
    refused.error = topic ? Errc::unknown_partition : Errc::unknown_topic;
    co_return refused;
  }
  if (const ClusterHooks* cluster = broker.cluster()) {
    if (Status routed = cluster->route(topic_name, partition); !routed.ok()) {
      OffsetLookup refused;
      refused.partition = partition;
      refused.error = routed.code;
      co_return refused;
    }
  }
  Shard& shard = broker.shard(topic->shard_of[partition]);
  co_return co_await on_shard(shard, list_offset_on_shard(shard, std::move(topic_name), partition, timestamp));
}

}  // namespace strata::broker
