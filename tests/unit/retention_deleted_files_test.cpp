// What retention leaves behind: a slice a reader holds stays readable after
// its segment is deleted, and leftover *.deleted and *.tmp files are swept
// at open.
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "retention_test_util.h"

namespace strata::test::retention {

TEST_SUITE("retention") {

TEST_CASE("a slice held by a reader stays readable after retention deletes its segment") {
  tu::StorageEnv env;
  auto cfg = config(800, st::LogConfig::kDisabled, st::LogConfig::kDisabled);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 30);
  auto held = log->read(st::Offset(0), 1 << 20);
  REQUIRE(held.has_value());
  REQUIRE(held.value().length > 0);
  std::vector<std::uint8_t> before(held.value().length);
  REQUIRE(held.value().file->read_at(held.value().position, before).has_value());

  cfg.retention_bytes = 0;
  REQUIRE_FALSE(log->set_config(cfg));
  const auto r = enforce(*log);
  REQUIRE(r.segments_deleted > 0);
  REQUIRE(log->log_start() > held.value().next_offset);
  check_segment_files_gone(env.partition_dir(), 0);

  std::vector<std::uint8_t> after(held.value().length);
  auto n = held.value().file->read_at(held.value().position, after);
  REQUIRE(n.has_value());
  CHECK(n.value() == after.size());
  CHECK(after == before);
}

TEST_CASE("leftover *.deleted and *.tmp files are swept at open") {
  tu::StorageEnv env;
  const auto cfg = config(900, st::LogConfig::kDisabled, st::LogConfig::kDisabled);
  Model model;
  {
    auto log = env.open(cfg);
    fill_by_size(*log, model, env.clock, 20);
    REQUIRE_FALSE(log->close());
  }
  const auto dir = env.partition_dir();
  const std::vector<std::string> leftovers = {
      stem20(0) + ".log.deleted",     stem20(0) + ".index.deleted", stem20(0) + ".timeindex.deleted",
      stem20(999999) + ".log.deleted", "checkpoint.tmp",             "something.tmp",
  };
  for (const auto& name : leftovers) {
    std::ofstream(dir / name) << "leftover bytes";
    REQUIRE(sfs::exists(dir / name));
  }
  const auto before = disk_segments(dir);

  auto log = env.open(cfg);
  CHECK(log->recovery_report().leftovers_removed == leftovers.size());
  for (const auto& name : leftovers) CHECK_FALSE(sfs::exists(dir / name));
  CHECK(count_with_suffix(dir, ".deleted") == 0);
  CHECK(count_with_suffix(dir, ".tmp") == 0);
  // The real segments are untouched.
  CHECK(disk_segments(dir) == before);
  CHECK(log->log_start() == st::Offset(0));
  check_contents(*log, model);

  // A crash leaves leftovers too; the next open sweeps them.
  log.reset();
  std::ofstream(dir / (stem20(5) + ".timeindex.deleted")) << "x";
  log = env.open(cfg);
  CHECK(log->recovery_report().leftovers_removed == 1);
  CHECK(count_with_suffix(dir, ".deleted") == 0);
  check_contents(*log, model);

  // Nothing to sweep: zero.
  REQUIRE_FALSE(log->close());
  log.reset();
  log = env.open(cfg);
  CHECK(log->recovery_report().leftovers_removed == 0);
}

}  // TEST_SUITE

}  // namespace strata::test::retention
