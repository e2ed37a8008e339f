// offset_for_timestamp: the first offset whose record timestamp is at or
// after T, with monotone and non-monotone timestamps, at every index
// density, after a clean reopen and after a crash.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "partition_log_test_util.h"
#include "protocol/batch_builder.h"
#include "protocol/record.h"

namespace strata::test::plog {
namespace {

// One record per timestamp, in the given order (timestamps may go down).
BuiltBatch build_custom(std::uint64_t first_id, const std::vector<std::int64_t>& timestamps) {
  pr::BatchBuilder builder;
  BuiltBatch b;
  for (std::size_t i = 0; i < timestamps.size(); ++i) {
    b.records.push_back({timestamps[i], key_for(first_id + i), tu::value_for(first_id + i, 0)});
  }
  for (const auto& r : b.records) builder.add(r.timestamp, pr::as_bytes(r.key), pr::as_bytes(r.value));
  b.bytes = builder.finish();
  return b;
}

std::optional<std::uint64_t> brute_force_timestamp(const LogModel& model, std::int64_t ts) {
  for (const auto& r : model.records()) {
    if (r.record.timestamp >= ts) return r.offset;
  }
  return std::nullopt;
}

void check_timestamps(st::PartitionLog& log, const LogModel& model) {
  std::set<std::int64_t> queries;
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  for (const auto& r : model.records()) {
    queries.insert({r.record.timestamp - 1, r.record.timestamp, r.record.timestamp + 1});
    lo = std::min(lo, r.record.timestamp);
    hi = std::max(hi, r.record.timestamp);
  }
  queries.insert({lo - 1'000'000, hi + 1'000'000, std::numeric_limits<std::int64_t>::min(),
                  std::numeric_limits<std::int64_t>::max()});
  std::size_t failures = 0;
  for (auto ts : queries) {
    auto got = log.offset_for_timestamp(ts);
    REQUIRE_MESSAGE(got.has_value(), got.error().message());
    const auto want = brute_force_timestamp(model, ts);
    const std::optional<std::uint64_t> have =
        got.value() ? std::optional<std::uint64_t>(got.value()->value()) : std::nullopt;
    if (have != want) {
      if (failures < 5) {
        FAIL_CHECK("offset_for_timestamp(" << ts << ") = " << (have ? std::to_string(*have) : "nullopt")
                                           << ", expected " << (want ? std::to_string(*want) : "nullopt"));
      }
      ++failures;
    }
  }
  CHECK(failures == 0);
  // Before everything: the log start; after everything: none.
  auto before = log.offset_for_timestamp(lo - 1);
  REQUIRE(before.has_value());
  CHECK(before.value() == std::optional<st::Offset>(log.log_start()));
  auto after = log.offset_for_timestamp(hi + 1);
  REQUIRE(after.has_value());
  CHECK_FALSE(after.value().has_value());
}

}  // namespace

TEST_SUITE("partition_log") {

TEST_CASE("offset_for_timestamp with monotone timestamps across many segments") {
  tu::StorageEnv env;
  const std::uint32_t interval = index_interval_subcases(200);
  CAPTURE(interval);
  const auto cfg = tu::small_config(1024, interval);
  auto log = env.open(cfg);
  LogModel model(cfg.segment_bytes);
  std::mt19937 rng(11);
  std::uint64_t id = 0;
  for (int b = 0; b < 80; ++b) {
    const std::size_t count = 1 + rng() % 7;
    append_checked(*log, model, build_batch(id, count, kT0 + b * 100, 10));
    id += count;
  }
  REQUIRE(model.segments().size() >= 8);
  check_timestamps(*log, model);

  // The answers hold after a clean reopen (indexes loaded from disk)...
  REQUIRE_FALSE(log->close());
  log.reset();
  log = env.open(cfg);
  CHECK(log->recovery_report().clean_shutdown);
  check_timestamps(*log, model);

  // ...and after a crash (indexes rebuilt by recovery).
  for (int b = 80; b < 90; ++b) {
    append_checked(*log, model, build_batch(id, 3, kT0 + b * 100, 10));
    id += 3;
  }
  log.reset();
  log = env.open(cfg);
  CHECK_FALSE(log->recovery_report().clean_shutdown);
  CHECK(log->log_end() == st::Offset(model.end()));
  check_timestamps(*log, model);
}

TEST_CASE("offset_for_timestamp with non-monotone timestamps finds the first offset at or after T") {
  tu::StorageEnv env;
  const std::uint32_t interval = index_interval_subcases(150);
  CAPTURE(interval);
  const auto cfg = tu::small_config(900, interval);
  auto log = env.open(cfg);
  LogModel model(cfg.segment_bytes);
  std::mt19937 rng(5);
  std::uint64_t id = 0;
  for (int b = 0; b < 90; ++b) {
    // Batch-level jumps back and forth, and records inside a batch out of
    // order too, with some equal timestamps.
    const std::int64_t batch_ts = kT0 + static_cast<std::int64_t>((b * 7919) % 97) * 10;
    const std::size_t count = 1 + rng() % 7;
    std::vector<std::int64_t> ts;
    for (std::size_t i = 0; i < count; ++i) ts.push_back(batch_ts + static_cast<std::int64_t>(rng() % 25) - 12);
    append_checked(*log, model, build_custom(id, ts));
    id += count;
  }
  // A late batch far older than everything, and one far newer in the middle of time.
  append_checked(*log, model, build_custom(id, {kT0 - 5000, kT0 - 6000}));
  id += 2;
  append_checked(*log, model, build_custom(id, {kT0 + 100000, kT0 - 7000, kT0 + 50}));
  id += 3;
  REQUIRE(model.segments().size() >= 8);
  check_timestamps(*log, model);

  REQUIRE_FALSE(log->close());
  log.reset();
  log = env.open(cfg);
  check_timestamps(*log, model);
}

TEST_CASE("offset_for_timestamp finds records inside compressed batches") {
  // Found by issue 23: the search read a compressed batch's records without
  // decompressing them and answered StorageErrc::corruption.
  tu::StorageEnv env;
  auto log = env.open(tu::small_config());
  pr::BatchBuilder builder(pr::Compression::gzip);
  for (int i = 0; i < 5; ++i) builder.add(kT0 + 10 * i, pr::as_bytes("k"), pr::as_bytes("v"));
  auto bytes = builder.finish();
  tu::append_bytes(*log, bytes);
  for (int i = 0; i < 5; ++i) {
    auto found = log->offset_for_timestamp(kT0 + 10 * i - 5);
    REQUIRE_MESSAGE(found.has_value(), found.error().message());
    CHECK(found.value() == std::optional<st::Offset>(st::Offset(static_cast<std::uint64_t>(i))));
  }
}

}  // TEST_SUITE

}  // namespace strata::test::plog
