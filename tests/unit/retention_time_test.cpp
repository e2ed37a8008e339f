// Retention by time (retention.ms): segments whose newest record is older
// go; an over-age active segment is rolled and deleted, and appends continue
// at the old end.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "retention_test_util.h"

namespace strata::test::retention {

TEST_SUITE("retention") {

TEST_CASE("retention by time deletes segments whose newest record is older than retention.ms") {
  tu::StorageEnv env;
  const std::int64_t retention_ms = 100'000;
  auto cfg = config(1 << 20, st::LogConfig::kDisabled, retention_ms);
  auto log = env.open(cfg);
  Model model;
  // Six closed segments, each with two batches 1 s apart, then the active one.
  std::vector<std::uint64_t> bases;
  for (int s = 0; s < 6; ++s) {
    bases.push_back(model.end());
    model.append(*log, 3, env.clock.now_ms());
    env.clock.advance(1000);
    model.append(*log, 2, env.clock.now_ms());
    env.clock.advance(1000);
    REQUIRE_FALSE(log->roll());
  }
  bases.push_back(model.end());
  model.append(*log, 4, env.clock.now_ms());
  REQUIRE(log->segment_count() == 7);
  std::vector<std::int64_t> newest;
  for (std::size_t s = 0; s < bases.size(); ++s) {
    newest.push_back(model.max_timestamp(bases[s], s + 1 < bases.size() ? bases[s + 1] : model.end()));
  }

  // Nothing is old yet.
  const auto r0 = enforce(*log);
  CHECK(r0.segments_deleted == 0);
  CHECK_FALSE(r0.rolled_active);

  // now - retention.ms == newest of segment 2: segments 0 and 1 are older, 2 is not.
  env.clock.set(newest[2] + retention_ms);
  const auto r1 = enforce(*log);
  CHECK(r1.segments_deleted == 2);
  CHECK_FALSE(r1.rolled_active);
  CHECK(log->log_start() == st::Offset(bases[2]));
  check_segment_files_gone(env.partition_dir(), bases[0]);
  check_segment_files_gone(env.partition_dir(), bases[1]);
  check_contents(*log, model);

  // One millisecond later segment 2 goes too.
  env.clock.advance(1);
  const auto r2 = enforce(*log);
  CHECK(r2.segments_deleted == 1);
  CHECK(log->log_start() == st::Offset(bases[3]));

  // Past the newest of segment 5: all closed segments go, the active stays.
  env.clock.set(newest[5] + retention_ms + 1);
  REQUIRE(newest[6] >= env.clock.now_ms() - retention_ms);
  const auto r3 = enforce(*log);
  CHECK(r3.segments_deleted == 3);
  CHECK_FALSE(r3.rolled_active);
  CHECK(log->segment_count() == 1);
  CHECK(log->log_start() == st::Offset(bases[6]));
  CHECK(disk_segments(env.partition_dir()).size() == 1);
  check_contents(*log, model);
  CHECK(count_with_suffix(env.partition_dir(), ".deleted") == 0);
}

TEST_CASE("an over-age active segment is rolled and deleted, and appends continue") {
  tu::StorageEnv env;
  const std::int64_t retention_ms = 60'000;
  auto cfg = config(1024, st::LogConfig::kDisabled, retention_ms);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 25);
  REQUIRE(log->segment_count() >= 3);
  const auto end = log->log_end();
  const auto size = log->size_bytes();
  const auto newest = model.max_timestamp(0, model.end());

  env.clock.set(newest + retention_ms + 1);
  const auto report = enforce(*log);
  CHECK(report.rolled_active);
  CHECK(report.bytes_freed == size);
  CHECK(log->segment_count() == 1);
  CHECK(log->log_start() == end);
  CHECK(log->log_end() == end);
  CHECK(log->size_bytes() == 0);
  const auto on_disk = disk_segments(env.partition_dir());
  REQUIRE(on_disk.size() == 1);
  CHECK(on_disk.begin()->first == end.value());
  CHECK(on_disk.begin()->second == 0);
  CHECK(count_with_suffix(env.partition_dir(), ".deleted") == 0);
  auto at_end = log->read(end, 1000);
  REQUIRE(at_end.has_value());
  CHECK(at_end.value().length == 0);
  tu::check_out_of_range(*log, st::Offset(end.value() - 1), 1000);
  auto ts = log->offset_for_timestamp(0);
  REQUIRE(ts.has_value());
  CHECK_FALSE(ts.value().has_value());

  // An empty active segment is not rolled again.
  const auto idle = enforce(*log);
  CHECK_FALSE(idle.rolled_active);
  CHECK(idle.segments_deleted == 0);

  // Appends go on at the old end.
  const auto res = model.append(*log, 3, env.clock.now_ms());
  CHECK(res.base == end);
  CHECK(res.last == st::Offset(end.value() + 2));
  check_contents(*log, model);
  auto found = log->offset_for_timestamp(env.clock.now_ms());
  REQUIRE(found.has_value());
  CHECK(found.value() == std::optional<st::Offset>(end));
}

}  // TEST_SUITE

}  // namespace strata::test::retention
