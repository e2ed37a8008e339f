// An HDR-style latency histogram: values (nanoseconds) fall into log-linear
// buckets with 64..127 steps per power of two, so any recorded value is
// reported within 1/64 (< 1.6 %) above its true value, in fixed memory
// (~30 KiB) whatever the count. The exact maximum is kept aside.
//
// Threads: one writer at a time; merge() histograms of several threads
// after they stop.
#pragma once

#include <cstdint>
#include <vector>

namespace strata::perf {

class LatencyHistogram {
 public:
  LatencyHistogram();

  // Negative values (clock steps) count as 0.
  void record(std::int64_t nanos) noexcept;
  void merge(const LatencyHistogram& other);

  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] std::int64_t max() const noexcept { return max_; }
  // The smallest bucket bound v such that at least q of the values are
  // <= v (q in [0, 1]; 0.99 = p99), never above max(). 0 when empty.
  [[nodiscard]] std::int64_t percentile(double q) const noexcept;

  // Exposed for tests: a value's bucket, and the largest value it holds.
  [[nodiscard]] static std::size_t bucket_of(std::uint64_t v) noexcept;
  [[nodiscard]] static std::uint64_t bucket_upper(std::size_t bucket) noexcept;

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace strata::perf
