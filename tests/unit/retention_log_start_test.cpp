// The log start offset that retention moves: it survives a close and
// reopen, a crash, and a power loss.
#include <doctest/doctest.h>

#include <cstdint>

#include "retention_test_util.h"

namespace strata::test::retention {

TEST_SUITE("retention") {

TEST_CASE("the log start offset survives close and reopen") {
  tu::StorageEnv env;
  const auto cfg = config(900, 2500, st::LogConfig::kDisabled);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 50);
  check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
  const auto start = log->log_start();
  REQUIRE(start > st::Offset(0));
  REQUIRE_FALSE(log->close());
  log.reset();

  log = env.open(cfg);
  CHECK(log->recovery_report().clean_shutdown);
  CHECK(log->recovery_report().leftovers_removed == 0);
  CHECK(log->log_start() == start);
  check_contents(*log, model);
  const auto end = log->log_end();
  CHECK(model.append(*log, 2, env.clock.now_ms()).base == end);
}

TEST_CASE("the log start offset survives a crash") {
  tu::StorageEnv env;
  auto cfg = config(900, 2500, 60'000);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 50);
  REQUIRE_FALSE(log->sync());

  SUBCASE("after size retention") {
    check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
    const auto start = log->log_start();
    REQUIRE(start > st::Offset(0));
    log.reset();  // no close(): a crash

    log = env.open(cfg);
    CHECK_FALSE(log->recovery_report().clean_shutdown);
    CHECK(log->log_start() == start);
    check_contents(*log, model);
    // And once more, after appending past the crash.
    fill_by_size(*log, model, env.clock, 5);
    log.reset();
    log = env.open(cfg);
    CHECK(log->log_start() == start);
    check_contents(*log, model);
  }
  SUBCASE("after time retention emptied the partition") {
    const auto end = log->log_end();
    env.clock.advance(120'000);
    const auto r = enforce(*log);
    CHECK(r.rolled_active);
    REQUIRE(log->log_start() == end);
    log.reset();  // no close(): a crash

    log = env.open(cfg);
    CHECK(log->log_start() == end);
    CHECK(log->log_end() == end);
    tu::check_out_of_range(*log, st::Offset(end.value() - 1), 100);
    CHECK(model.append(*log, 3, env.clock.now_ms()).base == end);
    check_contents(*log, model);
  }
  SUBCASE("after retention and a power loss") {
    const auto synced_end = log->log_end();
    check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
    const auto start = log->log_start();
    REQUIRE(start > st::Offset(0));
    fill_by_size(*log, model, env.clock, 20);  // not synced
    log.reset();
    for (const auto& name : names_in(env.partition_dir())) env.cache.evict(env.partition_dir() / name);
    REQUIRE_FALSE(env.faults.drop_unsynced());

    log = env.open(cfg);
    CHECK_FALSE(log->recovery_report().clean_shutdown);
    CHECK(log->log_start() == start);
    CHECK(log->log_end() >= synced_end);
    REQUIRE(log->log_end() <= st::Offset(model.end()));
    const auto got = tu::read_all_with_offsets(*log, log->log_start());
    REQUIRE(got.size() == log->log_end().value() - start.value());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].offset == start.value() + i);
      CHECK(got[i].record.key == model.records()[start.value() + i].key);
    }
    tu::check_out_of_range(*log, st::Offset(start.value() - 1), 100);
  }
  SUBCASE("after retention with nothing synced since") {
    fill_by_size(*log, model, env.clock, 20);  // not synced
    check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
    const auto start = log->log_start();
    log.reset();

    log = env.open(cfg);
    CHECK(log->log_start() == start);
    check_contents(*log, model);
  }
}

}  // TEST_SUITE

}  // namespace strata::test::retention
