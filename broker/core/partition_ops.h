// Work a request does on the shard that owns a partition: each function is a
// coroutine meant to be co_spawned on that shard's executor, taking its
// arguments by value (DESIGN: keep coroutine bodies plain).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "broker/core/partition_results.h"
#include "broker/core/shard.h"
#include "broker/runtime/asio.h"
#include "protocol/batch_validator.h"

namespace strata::broker {

// Runs `work` (a coroutine of the *_on_shard kind) on the shard's thread:
// awaited in place when the caller is already there (half of all requests
// with two shards), co_spawned there and awaited otherwise. Skipping the
// post saves a trip through the shard's queue on the latency path.
template <typename T>
awaitable<T> on_shard(Shard& shard, awaitable<T> work) {
  if (shard.context().get_executor().running_in_this_thread()) co_return co_await std::move(work);
  co_return co_await asio::co_spawn(shard.context(), std::move(work), asio::use_awaitable);
}

// Appends a validated batch, synchronously on the shard's thread. On
// success `partition` is set and `durable_end` is the offset a durable ack
// waits for (the first append's, for a producer's retried duplicate).
struct Appended {
  ProduceResult result;
  PartitionPtr partition;
  storage::Offset durable_end;
};
Appended append_on_shard(Shard& shard, const std::string& topic, std::uint32_t partition,
                         const protocol::ValidatedBatch& batch);
// After an append: with acks=durable waits for the group commit covering it.
awaitable<ProduceResult> ack_on_shard(Shard& shard, Appended appended, AckLevel acks);
// Both, for a shard other than the caller's.
awaitable<ProduceResult> produce_on_shard(Shard& shard, std::string topic, std::uint32_t partition,
                                          protocol::ValidatedBatch batch, AckLevel acks);

awaitable<PartitionRead> read_on_shard(Shard& shard, std::string topic, std::uint32_t partition,
                                    std::uint64_t offset, std::uint32_t max_bytes);

// Registers a one-shot wake-up for when the partition's log end passes
// seen_end (immediately if it already has, or if the partition is gone).
// `wake` runs on the shard; it must post to wherever the waiter lives.
awaitable<void> watch_on_shard(Shard& shard, std::string topic, std::uint32_t partition, std::uint64_t seen_end,
                               std::function<void()> wake);

// timestamp: ms, or kLatestTimestamp / kEarliestTimestamp.
awaitable<OffsetLookup> list_offset_on_shard(Shard& shard, std::string topic, std::uint32_t partition,
                                             std::int64_t timestamp);

struct PartitionKey {
  std::string topic;
  std::uint32_t partition;
};
awaitable<std::vector<PartitionStats>> describe_on_shard(Shard& shard, std::vector<PartitionKey> keys);
// What keeps each partition's oldest segment (DescribeRetention).
awaitable<std::vector<PartitionRetentionInfo>> retention_on_shard(Shard& shard, std::vector<PartitionKey> keys);

}  // namespace strata::broker
