// The service's Produce: validates each batch on the caller's thread,
// appends it on the shard that owns its partition, and answers at the
// requested acknowledgement level. Knows no wire protocol (DESIGN decision
// 12): front doors decode their request into ProduceTargets and encode the
// ProduceResults.
//
// Ownership: each target's batch lies in a buffer the caller owns and
// keeps valid, untouched, until the returned awaitable completes (batches
// are validated and stamped in place, and appended from there).
#pragma once

#include <string>
#include <vector>

#include "broker/core/partition_results.h"
#include "broker/core/shard_affinity.h"
#include "broker/core/topic_registry.h"
#include "broker/runtime/asio.h"
#include "protocol/base/result.h"

namespace strata::broker {

class Broker;

struct ProduceTarget {
  std::string topic;
  std::uint32_t partition = 0;
  protocol::MutableBytes batch;  // one RecordBatch v2, inside the caller's buffer
};

struct ProduceOutcome {
  std::vector<ProduceResult> results;  // one per target, in order
  ShardAffinity affinity;
};

// Auto-creates a missing topic when the broker allows it. Runs on any
// shard; resumes on the caller's.
awaitable<ProduceOutcome> produce(Broker& broker, std::vector<ProduceTarget> targets, AckLevel acks);

// The topic, auto-created when the broker allows it (auto.create.topics and
// a valid name); null otherwise. A produce naming a topic and no partition
// calls only this (the CLI creates topics so).
awaitable<TopicPtr> find_or_create_topic(Broker& broker, const std::string& name);

// The message for a produce or fetch naming a topic that does not exist.
[[nodiscard]] std::string unknown_topic_message(const std::string& name);

}  // namespace strata::broker
