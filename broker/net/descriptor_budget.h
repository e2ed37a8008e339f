// The open-file budget, settled once at start (before the shards open any
// partition): the broker raises its soft RLIMIT_NOFILE to the hard limit,
// then checks that what its settings can hold open fits:
//
//   file.cache.size x shards + max.connections + reserve
//
// where the reserve covers the descriptors open at start, the listener and
// its spare, refused connections waiting for an answer, event loops, and
// syncs in flight. If the limit is still short it lowers file.cache.size
// and max.connections to fit and says so once, naming the numbers and the
// fix; if even the smallest settings do not fit it refuses to start.
//
// Threads: main, before any other thread exists.
#pragma once

#include <cstdint>
#include <string>

#include "broker/core/broker_config.h"

namespace strata::broker {

struct DescriptorPlan {
  std::uint64_t limit = 0;     // the soft limit the plan is for
  std::uint64_t reserve = 0;
  std::uint64_t needed = 0;    // by the configured settings, reserve included
  std::uint32_t file_cache_size = 0;
  std::uint32_t max_connections = 0;
  bool lowered = false;
  std::string error;           // non-empty: cannot start within the limit
};

// Descriptors open in this process now (/proc/self/fd). Threads: any.
[[nodiscard]] std::uint64_t open_descriptors();

// Descriptors kept aside besides the file caches and client connections.
[[nodiscard]] std::uint64_t descriptor_reserve(unsigned shards, std::uint64_t open_at_start) noexcept;

// The settings that fit `limit` (pure; see the file comment).
[[nodiscard]] DescriptorPlan plan_descriptors(const BrokerConfig& config, std::uint64_t limit,
                                              std::uint64_t open_at_start);

// Raises the soft limit, plans, applies the plan to config and logs what it
// changed. Returns an error message (start must stop) or "".
[[nodiscard]] std::string apply_descriptor_budget(BrokerConfig& config);

}  // namespace strata::broker
