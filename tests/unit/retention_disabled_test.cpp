// retention.bytes and retention.ms of -1: each turns its kind of retention
// off, alone or together.
#include <doctest/doctest.h>

#include <cstdint>

#include "retention_test_util.h"

namespace strata::test::retention {
namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

}  // namespace

TEST_SUITE("retention") {

TEST_CASE("-1 disables retention by size and by time") {
  tu::StorageEnv env;
  Model model;
  SUBCASE("both disabled: nothing goes, however big or old") {
    auto log = env.open(config(800, st::LogConfig::kDisabled, st::LogConfig::kDisabled));
    fill_by_size(*log, model, env.clock, 40);
    const auto segments = log->segment_count();
    env.clock.advance(3650 * kDay);
    const auto r = enforce(*log);
    CHECK(r.segments_deleted == 0);
    CHECK_FALSE(r.rolled_active);
    CHECK(log->segment_count() == segments);
    CHECK(disk_segments(env.partition_dir()).size() == segments);
    check_contents(*log, model);
  }
  SUBCASE("retention.bytes -1 with time retention: a big but young partition stays") {
    auto log = env.open(config(800, st::LogConfig::kDisabled, kDay));
    fill_by_size(*log, model, env.clock, 40);
    const auto segments = log->segment_count();
    env.clock.advance(kDay / 2);
    const auto r = enforce(*log);
    CHECK(r.segments_deleted == 0);
    CHECK(log->segment_count() == segments);
    // Time retention still works.
    env.clock.advance(kDay);
    const auto aged = enforce(*log);
    CHECK(aged.rolled_active);
    CHECK(log->log_start() == st::Offset(model.end()));
  }
  SUBCASE("retention.ms -1 with size retention: ancient data within the size stays") {
    auto log = env.open(config(800, 1 << 30, st::LogConfig::kDisabled));
    fill_by_size(*log, model, env.clock, 40);
    const auto segments = log->segment_count();
    env.clock.advance(3650 * kDay);
    const auto r = enforce(*log);
    CHECK(r.segments_deleted == 0);
    CHECK_FALSE(r.rolled_active);
    CHECK(log->segment_count() == segments);
    check_contents(*log, model);
    // Size retention still works.
    auto cfg = log->config();
    cfg.retention_bytes = 1000;
    REQUIRE_FALSE(log->set_config(cfg));
    check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
    CHECK(log->log_start() > st::Offset(0));
  }
}

}  // TEST_SUITE

}  // namespace strata::test::retention
