// LatencyHistogram (client/perf): bucket bounds, percentiles against a
// sorted vector of the same values, merge, and the edge cases.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "client/perf/latency_histogram.h"

namespace strata::perf {
namespace {

// The exact q-quantile of the values (nearest rank).
std::int64_t exact(std::vector<std::int64_t> v, double q) {
  std::sort(v.begin(), v.end());
  const auto rank = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))));
  return v[rank - 1];
}

TEST_CASE("an empty histogram reports zeros") {
  LatencyHistogram h;
  CHECK(h.count() == 0);
  CHECK(h.max() == 0);
  CHECK(h.percentile(0.5) == 0);
  CHECK(h.percentile(1.0) == 0);
}

TEST_CASE("small values are exact") {
  LatencyHistogram h;
  for (std::int64_t v = 1; v <= 100; ++v) h.record(v);
  CHECK(h.count() == 100);
  CHECK(h.percentile(0.5) == 50);
  CHECK(h.percentile(0.99) == 99);
  CHECK(h.percentile(0.999) == 100);
  CHECK(h.percentile(1.0) == 100);
  CHECK(h.max() == 100);
}

TEST_CASE("every value lies in a bucket whose upper bound is within 1/64 above it") {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t v = rng() >> (rng() % 64);
    const auto b = LatencyHistogram::bucket_of(v);
    const std::uint64_t upper = LatencyHistogram::bucket_upper(b);
    REQUIRE(upper >= v);
    REQUIRE(static_cast<double>(upper - v) <= static_cast<double>(v) / 64.0 + 1.0);
    if (b > 0) REQUIRE(LatencyHistogram::bucket_upper(b - 1) < v);  // buckets do not overlap
  }
  CHECK(LatencyHistogram::bucket_of(UINT64_MAX) > LatencyHistogram::bucket_of(UINT64_MAX >> 1));
}

TEST_CASE("percentiles match a sorted vector within the bucket precision") {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(11.0, 1.5);  // ~60 us median, long tail
  std::vector<std::int64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 50000; ++i) {
    const auto v = static_cast<std::int64_t>(dist(rng));
    values.push_back(v);
    h.record(v);
  }
  for (const double q : {0.0, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    CAPTURE(q);
    const std::int64_t want = exact(values, q);
    const std::int64_t got = h.percentile(q);
    CHECK(got >= want);
    CHECK(static_cast<double>(got - want) <= static_cast<double>(want) / 64.0 + 1.0);
  }
  CHECK(h.max() == *std::max_element(values.begin(), values.end()));
  CHECK(h.percentile(1.0) == h.max());
}

TEST_CASE("merge adds counts and keeps the larger maximum") {
  LatencyHistogram a, b;
  for (int i = 0; i < 900; ++i) a.record(1000);
  for (int i = 0; i < 100; ++i) b.record(5'000'000);
  a.merge(b);
  CHECK(a.count() == 1000);
  CHECK(a.max() == 5'000'000);
  CHECK(a.percentile(0.9) <= 1000 + 1000 / 64);
  CHECK(a.percentile(0.9) >= 1000);
  CHECK(a.percentile(0.91) == 5'000'000);  // the bucket bound is clipped to the maximum
}

TEST_CASE("negative values count as zero") {
  LatencyHistogram h;
  h.record(-5);
  CHECK(h.count() == 1);
  CHECK(h.max() == 0);
  CHECK(h.percentile(1.0) == 0);
}

}  // namespace
}  // namespace strata::perf
