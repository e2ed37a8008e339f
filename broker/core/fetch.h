// The service's Fetch: reads each partition from the shard that owns it as
// a byte range of a segment file (for sendfile), long-polling until enough
// bytes arrive, the deadline passes, a partition fails or the broker stops.
// The response budget (fetch_budget.h) keeps the records within what the
// request and the frame limit allow. Knows no wire protocol: the front door
// says how many bytes its response needs besides records (overhead).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "broker/core/partition_results.h"
#include "broker/core/shard_affinity.h"
#include "broker/runtime/asio.h"

namespace strata::broker {

class Broker;

struct FetchTarget {
  std::string topic;
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
  std::uint32_t max_bytes = 0;
};

struct FetchLimits {
  std::chrono::milliseconds max_wait{0};
  std::uint32_t min_bytes = 0;
  std::uint32_t max_bytes = 0;     // of the whole response's records (KIP-74)
  std::uint64_t overhead = 0;      // response bytes other than records
  std::uint64_t frame_limit = 0;   // the largest response frame
};

struct FetchOutcome {
  Status refused;                    // the whole fetch, e.g. response_too_large
  std::vector<PartitionRead> reads;  // one per target, in order, unless refused
  std::vector<FetchTarget> targets;  // the ones asked for, handed back (callers move them in)
  ShardAffinity affinity;
};

// Runs on any shard; resumes on the caller's.
awaitable<FetchOutcome> fetch(Broker& broker, std::vector<FetchTarget> targets, FetchLimits limits);

// Counts the records and bytes a fetch's answer carries per topic, in the
// calling shard's metrics (front doors call it on the connection's shard
// with the reads they send).
void count_records_out(const std::vector<FetchTarget>& targets, const std::vector<PartitionRead>& reads);

}  // namespace strata::broker
