#include "client/perf/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace strata::perf {

namespace {
// Values below 2^kLinearBits get a bucket each; above, each power of two is
// split into kHalf buckets by the value's top kLinearBits bits.
constexpr unsigned kLinearBits = 7;
constexpr std::uint64_t kLinear = 1u << kLinearBits;  // 128
constexpr std::uint64_t kHalf = kLinear / 2;          // 64
constexpr std::size_t kBuckets = kLinear + (64 - kLinearBits) * kHalf;
}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBuckets, 0) {}

std::size_t LatencyHistogram::bucket_of(std::uint64_t v) noexcept {
  if (v < kLinear) return static_cast<std::size_t>(v);
  const auto shift = static_cast<unsigned>(std::bit_width(v)) - kLinearBits;  // >= 1
  const std::uint64_t top = v >> shift;                                       // in [64, 128)
  return static_cast<std::size_t>(kLinear + (shift - 1) * kHalf + (top - kHalf));
}

std::uint64_t LatencyHistogram::bucket_upper(std::size_t bucket) noexcept {
  if (bucket < kLinear) return bucket;
  const std::size_t shift = (bucket - kLinear) / kHalf + 1;
  const std::uint64_t top = (bucket - kLinear) % kHalf + kHalf;
  if (shift + kLinearBits >= 64 && top + 1 == kLinear) return UINT64_MAX;  // 2^64 - 1
  return ((top + 1) << shift) - 1;
}

void LatencyHistogram::record(std::int64_t nanos) noexcept {
  const std::int64_t v = std::max<std::int64_t>(nanos, 0);
  ++buckets_[bucket_of(static_cast<std::uint64_t>(v))];
  ++count_;
  max_ = std::max(max_, v);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

std::int64_t LatencyHistogram::percentile(double q) const noexcept {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // The rank of the value asked for, 1-based: at least one value counts.
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      return static_cast<std::int64_t>(std::min<std::uint64_t>(bucket_upper(i), static_cast<std::uint64_t>(max_)));
    }
  }
  return max_;
}

}  // namespace strata::perf
