// The broker-wide bound on memory that clients make the broker hold:
// request bytes read but not yet answered, and reply bytes made but not yet
// written, over every connection (max.inflight.bytes). Each connection also
// has a bound of its own (connection_budget.h); this one stops many
// connections together, each within its own bound, from taking the machine
// (Kafka's queued.max.requests, Redpanda's per-shard memory semaphore).
//
// When used() passes limit(), every connection stops reading new requests
// until it falls back; replies already under way are still made and sent, so
// used() can pass limit() by what the requests in service produce.
//
// Threads: any (one relaxed atomic; connections on every shard share it).
#pragma once

#include <atomic>
#include <cstdint>

namespace strata::broker {

class InflightBudget {
 public:
  explicit InflightBudget(std::uint64_t limit) noexcept : limit_(limit) {}

  void charge(std::uint64_t bytes) noexcept { used_.fetch_add(bytes, std::memory_order_relaxed); }
  // REQUIRES: bytes were charged before.
  void release(std::uint64_t bytes) noexcept { used_.fetch_sub(bytes, std::memory_order_relaxed); }

  [[nodiscard]] bool over() const noexcept { return used_.load(std::memory_order_relaxed) > limit_; }
  [[nodiscard]] std::uint64_t used() const noexcept { return used_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t limit() const noexcept { return limit_; }

 private:
  const std::uint64_t limit_;
  std::atomic<std::uint64_t> used_{0};
};

}  // namespace strata::broker
