// fsync failure (DESIGN decisions 4 and 7): a failed fsync fails every
// waiter, never success, and turns the partition read-only; reads go on,
// close() leaves no clean-shutdown marker, and the next process recovers.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "durability_test_util.h"
#include "storage/checkpoint.h"

namespace strata::test::durability {

TEST_CASE("durability: a failed fsync fails the waiters and makes the partition read-only") {
  StorageEnv env;
  const LogConfig cfg = small_config();
  Model m;
  const auto eio = std::make_error_code(std::errc::io_error);
  std::uint64_t synced_end = 0;
  bool power_loss = false;
  SUBCASE("then a process crash") { power_loss = false; }
  SUBCASE("then a power loss") { power_loss = true; }
  {
    Proc p(env, cfg);
    PartitionLog& log = *p.log;
    for (int i = 0; i < 3; ++i) add(log, m, 2);
    REQUIRE_FALSE(log.sync());
    synced_end = m.next();
    std::vector<Waiter> ws(5);
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < ws.size(); ++i) add_and_wait(log, m, ws, i, order, 2);
    env.faults.fail_next_sync(std::errc::io_error);
    const auto syncs_before = env.faults.file_syncs();
    CHECK(log.sync() == eio);
    for (std::size_t i = 0; i < ws.size(); ++i) {
      CAPTURE(i);
      CHECK(ws[i].calls == 1);
      REQUIRE(ws[i].result.has_value());
      CHECK(*ws[i].result == eio);
    }
    CHECK(log.read_only_reason() == eio);
    CHECK(log.durable_end() == Offset(synced_end));

    // Refuses writes; never retries the fsync.
    auto bytes = batch_for(m, 1);
    check_append_fails(log, bytes, StorageErrc::read_only);
    CHECK(log.log_end() == Offset(m.next()));
    CHECK(log.roll() == StorageErrc::read_only);
    CHECK_FALSE(log.begin_sync().has_value());
    CHECK(log.sync());
    std::optional<std::error_code> late;
    log.wait_durable(log.log_end(), [&](std::error_code ec) { late = ec; });
    REQUIRE(late.has_value());
    CHECK(*late);  // never success
    CHECK(env.faults.file_syncs() == syncs_before);

    // Reads still work, unsynced records included.
    check_log(log, m);
    check_every_offset(log, m);

    // Close reports the failure and leaves no clean-shutdown marker.
    CHECK(log.close());
    CHECK_FALSE(fs::exists(env.partition_dir() / storage::kCleanShutdownFile));
    CHECK(env.faults.file_syncs() == syncs_before);
  }
  if (power_loss) {
    REQUIRE_FALSE(env.faults.drop_unsynced());
    m.keep_through(synced_end);  // only what a sync confirmed
  }
  Proc p(env, cfg);
  CHECK_FALSE(p.log->recovery_report().clean_shutdown);
  CHECK_FALSE(p.log->recovery_report().corruption_found);
  CHECK_FALSE(p.log->read_only_reason());
  check_log(*p.log, m);
  add(*p.log, m, 2);
  REQUIRE_FALSE(p.log->sync());
  check_log(*p.log, m);
}

TEST_CASE("durability: a ticket that fails on another thread fails every waiter, later ones too") {
  StorageEnv env;
  auto log = env.open(small_config());
  Model m;
  std::vector<Waiter> ws(6);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < 3; ++i) add_and_wait(*log, m, ws, i, order, 1);
  auto ticket = log->begin_sync();
  REQUIRE(ticket.has_value());
  env.faults.fail_next_sync(std::errc::io_error);
  std::error_code run_result;
  std::thread syncer([&] { run_result = ticket->run(); });
  for (std::size_t i = 3; i < 6; ++i) add_and_wait(*log, m, ws, i, order, 1);
  syncer.join();
  CHECK(run_result == std::make_error_code(std::errc::io_error));
  CHECK_FALSE(log->complete_sync(*ticket, run_result));
  REQUIRE(order.size() == ws.size());
  for (const auto& w : ws) CHECK(w.result.value() == run_result);
  CHECK(log->read_only_reason() == run_result);
  CHECK(log->durable_end() == Offset(0));
  check_log(*log, m);
}

TEST_CASE("durability: an fsync failure inside close() leaves no clean-shutdown marker") {
  StorageEnv env;
  const LogConfig cfg = small_config();
  Model m;
  {
    Proc p(env, cfg);
    add(*p.log, m, 2);
    REQUIRE_FALSE(p.log->sync());
    std::vector<Waiter> ws(1);
    std::vector<std::size_t> order;
    add_and_wait(*p.log, m, ws, 0, order, 2);
    env.faults.fail_next_sync(std::errc::io_error);
    CHECK(p.log->close() == std::make_error_code(std::errc::io_error));
    REQUIRE(ws[0].result.has_value());
    CHECK(*ws[0].result == std::make_error_code(std::errc::io_error));
    CHECK(p.log->read_only_reason() == std::make_error_code(std::errc::io_error));
    CHECK_FALSE(fs::exists(env.partition_dir() / storage::kCleanShutdownFile));
    CHECK(p.log->close());  // still failed, still no marker
    CHECK_FALSE(fs::exists(env.partition_dir() / storage::kCleanShutdownFile));
  }
  Proc p(env, cfg);
  CHECK_FALSE(p.log->recovery_report().clean_shutdown);
  check_log(*p.log, m);
}

}  // namespace strata::test::durability
