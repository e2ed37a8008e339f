// Retention by size (retention.bytes): the oldest segments go until the
// partition fits, never one more than needed, and a change applies live.
#include <doctest/doctest.h>

#include <cstdint>
#include <iterator>

#include "retention_test_util.h"

namespace strata::test::retention {

TEST_SUITE("retention") {

TEST_CASE("retention by size deletes oldest segments until the partition fits") {
  tu::StorageEnv env;
  std::int64_t retention = 0;
  SUBCASE("a few kilobytes") { retention = 3000; }
  SUBCASE("exactly one segment's worth") { retention = 1024; }
  SUBCASE("zero keeps only the active segment") { retention = 0; }
  SUBCASE("larger than the partition deletes nothing") { retention = 1 << 30; }
  CAPTURE(retention);
  auto cfg = config(1024, retention, st::LogConfig::kDisabled);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 60);
  REQUIRE(log->segment_count() >= 10);
  check_size_pass(*log, env.partition_dir(), retention);
  check_contents(*log, model);
  if (retention == 0) CHECK(log->segment_count() == 1);
  if (retention == 1 << 30) CHECK(log->log_start() == st::Offset(0));

  // A second pass right away has nothing to do.
  const auto again = enforce(*log);
  CHECK(again.segments_deleted == 0);
  CHECK(again.bytes_freed == 0);

  // Appends continue at the end; later passes keep the rule.
  fill_by_size(*log, model, env.clock, 30);
  check_size_pass(*log, env.partition_dir(), retention);
  check_contents(*log, model);
}

TEST_CASE("retention.bytes equal to the partition size deletes nothing, one byte less deletes the oldest") {
  tu::StorageEnv env;
  auto cfg = config(800, st::LogConfig::kDisabled, st::LogConfig::kDisabled);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 40);
  const auto segs = disk_segments(env.partition_dir());
  REQUIRE(segs.size() >= 3);
  std::uint64_t total = 0;
  for (const auto& [base, size] : segs) total += size;

  cfg.retention_bytes = static_cast<std::int64_t>(total);
  REQUIRE_FALSE(log->set_config(cfg));
  const auto none = enforce(*log);
  CHECK(none.segments_deleted == 0);
  CHECK(log->log_start() == st::Offset(0));

  cfg.retention_bytes = static_cast<std::int64_t>(total - 1);
  REQUIRE_FALSE(log->set_config(cfg));
  const auto one = enforce(*log);
  CHECK(one.segments_deleted == 1);
  CHECK(one.bytes_freed == segs.begin()->second);
  CHECK(log->log_start() == st::Offset(std::next(segs.begin())->first));
  check_contents(*log, model);
}

TEST_CASE("retention.bytes applies live through set_config") {
  tu::StorageEnv env;
  auto cfg = config(800, st::LogConfig::kDisabled, st::LogConfig::kDisabled);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 50);
  const auto segments = log->segment_count();
  REQUIRE(segments >= 8);
  const auto none = enforce(*log);
  CHECK(none.segments_deleted == 0);
  CHECK(log->segment_count() == segments);

  cfg.retention_bytes = 2000;
  REQUIRE_FALSE(log->set_config(cfg));
  check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
  CHECK(log->segment_count() < segments);
  check_contents(*log, model);
}

}  // TEST_SUITE

}  // namespace strata::test::retention
