// What a scrape reads and how it is written out. Each shard's metrics and
// partitions are copied by a task on that shard's thread (sample_shard),
// then merged and rendered in the Prometheus text exposition format
// (version 0.0.4) on the metrics server's thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "broker/runtime/asio.h"
#include "broker/ops/metrics.h"
#include "broker/core/shard.h"

namespace strata::broker {

struct PartitionSample {
  std::string topic;
  std::uint32_t partition = 0;
  std::uint64_t log_start = 0;
  std::uint64_t log_end = 0;
  std::uint64_t size_bytes = 0;
  std::uint64_t segments = 0;
  std::uint64_t messages_in = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t recovery_bytes_scanned = 0;  // when the broker opened it
};

struct ShardSample {
  ShardMetrics metrics;
  std::vector<PartitionSample> partitions;
};

// REQUIRES: awaited on (co_spawned onto) the shard's own context.
awaitable<ShardSample> sample_shard(Shard& shard);

// Process-wide figures, read on the metrics thread.
struct ProcessSample {
  std::string version;
  std::string commit;
  bool ready = false;
  double start_time_seconds = 0;  // Unix time
  double recovery_seconds = 0;    // loading every partition at start
  std::uint32_t connections_open = 0;
  std::uint64_t fds_open = 0;
  std::uint64_t fds_limit = 0;   // soft RLIMIT_NOFILE
  std::uint64_t fds_budget = 0;  // what the settings can hold open (descriptor_budget.h)
};

// The exposition text. partition_level: also one series per partition for
// offsets, size and segments (metrics.partition.level); per topic always.
[[nodiscard]] std::string render_metrics(const ProcessSample& process, std::span<const ShardSample> shards,
                                         bool partition_level);

}  // namespace strata::broker
