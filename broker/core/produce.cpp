#include "broker/core/produce.h"

#include "broker/core/broker.h"
#include "broker/core/error_mapping.h"
#include "broker/core/partition_ops.h"
#include "broker/runtime/logger.h"
#include "broker/runtime/parallel_calls.h"
#include "protocol/topic_name.h"

namespace strata::broker {

std::string unknown_topic_message(const std::string& name) {
  if (!protocol::valid_topic_name(name)) {
    return "invalid topic name '" + name.substr(0, 300) + "': use 1-249 characters of [A-Za-z0-9._-]";
  }
  return "topic '" + name + "' does not exist: create it first (strata topic create " + name + ")";
}

awaitable<TopicPtr> find_or_create_topic(Broker& broker, const std::string& name) {
  TopicPtr topic = broker.topics().find(name);
  if (topic || !broker.config().auto_create_topics || !protocol::valid_topic_name(name)) co_return topic;
  co_return co_await asio::co_spawn(broker.shard(0).context(), broker.ensure_topic(name), asio::use_awaitable);
}

namespace {

// Why `target` cannot be appended to `topic`, or the shard that owns it.
bool refuse(const Broker& broker, const TopicPtr& topic, const ProduceTarget& target, ProduceResult& result) {
  if (!topic) {
    result.error = protocol::valid_topic_name(target.topic) ? Errc::unknown_topic : Errc::invalid_topic;
    result.message = unknown_topic_message(target.topic);
    return true;
  }
  if (target.partition >= topic->shard_of.size()) {
    result.error = Errc::unknown_partition;
    result.message =
        "topic '" + target.topic + "' has partitions 0.." + std::to_string(topic->shard_of.size() - 1);
    return true;
  }
  if (const ClusterHooks* cluster = broker.cluster()) {
    Status routed = cluster->route(target.topic, target.partition);
    result.error = routed.code;
    result.message = std::move(routed.message);
    return !routed.ok();
  }
  return false;
}

}  // namespace

awaitable<ProduceOutcome> produce(Broker& broker, std::vector<ProduceTarget> targets, AckLevel acks) {
  // Every append starts before the first wait (ParallelCalls): with several
  // batches of a partition in flight (an idempotent producer), a later
  // request must not overtake this one at any partition.
  ProduceOutcome out;
  out.results.resize(targets.size());
  struct LocalAck {
    Shard* shard;
    Appended appended;
    std::size_t at;  // in results
  };
  std::vector<LocalAck> local;  // appended here; acks=durable waits below
  ParallelCalls<ProduceResult> remote(co_await asio::this_coro::executor);
  TopicPtr topic;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const ProduceTarget& target = targets[i];
    ProduceResult& result = out.results[i];
    result.partition = target.partition;
    if (!topic || topic->name != target.topic) topic = co_await find_or_create_topic(broker, target.topic);
    if (refuse(broker, topic, target, result)) continue;
    // Validated here, on the connection's thread, so the owning shard
    // only appends; the batch stays in the caller's buffer, stamped there.
    auto valid = protocol::validate_for_append(target.batch, topic->config.max_message_bytes);
    if (!valid) {
      Status status = to_status(valid.error());
      result.error = status.code;
      result.message = std::move(status.message);
      continue;
    }
    Shard& shard = broker.shard(topic->shard_of[target.partition]);
    out.affinity.add(shard.id());
    if (shard.context().get_executor().running_in_this_thread()) {
      // No trip through the shard's queue on the latency path.
      Appended appended = append_on_shard(shard, target.topic, target.partition, valid.value());
      result = appended.result;
      if (acks == AckLevel::durable && appended.partition) local.push_back({&shard, std::move(appended), i});
    } else {
      result.error = Errc::storage_error;
      result.message = "internal error while appending";  // kept only if the call throws
      remote.start(shard, produce_on_shard(shard, target.topic, target.partition, valid.value(), acks), &result);
    }
  }
  for (auto& ack : local) out.results[ack.at] = co_await ack_on_shard(*ack.shard, std::move(ack.appended), acks);
  co_await remote.wait();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const ProduceResult& r = out.results[i];
    if (r.error != Errc::none) {
      log_debug("produce to " + targets[i].topic + "/" + std::to_string(r.partition) + " refused: " + r.message);
    }
  }
  co_return out;
}

}  // namespace strata::broker
