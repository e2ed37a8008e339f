// Acknowledgement levels: durable_end trails log_end until a sync, and
// waiters pending at a crash or close are failed, never told success.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <system_error>
#include <vector>

#include "durability_test_util.h"

namespace strata::test::durability {

TEST_CASE("durability: durable_end trails log_end until a sync") {
  StorageEnv env;
  const LogConfig cfg = small_config(700);
  Model m;
  std::uint64_t synced = 0;
  {
    Proc p(env, cfg);
    PartitionLog& log = *p.log;
    CHECK(log.durable_end() == log.log_end());  // empty
    add(log, m, 3);
    CHECK(log.log_end() == Offset(m.next()));
    CHECK(log.durable_end() < log.log_end());
    CHECK(log.durable_end() == Offset(0));
    REQUIRE_FALSE(log.sync());
    CHECK(log.durable_end() == log.log_end());
    for (int i = 0; i < 6; ++i) add(log, m, 2, 40);  // with a roll
    CHECK(log.durable_end() == Offset(3));
    REQUIRE_FALSE(log.sync());
    CHECK(log.durable_end() == log.log_end());
    synced = m.next();
    add(log, m, 2);
    CHECK(log.durable_end() == Offset(synced));
  }  // process crash after a sync
  {
    Proc p(env, cfg);
    check_log(*p.log, m);
    CHECK(p.log->durable_end() <= Offset(synced));
    CHECK(p.log->durable_end() >= p.log->log_start());
    std::optional<std::error_code> acked;
    p.log->wait_durable(p.log->log_end(), [&](std::error_code ec) { acked = ec; });
    REQUIRE_FALSE(p.log->sync());
    REQUIRE(acked.has_value());
    CHECK_FALSE(*acked);
    CHECK(p.log->durable_end() == p.log->log_end());
    REQUIRE_FALSE(p.log->close());
  }
  Proc p(env, cfg);
  CHECK(p.log->durable_end() == p.log->log_end());
  check_log(*p.log, m);
}

TEST_CASE("durability: waiters pending at a crash or close are failed, never told success") {
  StorageEnv env;
  const LogConfig cfg = small_config();
  Model m;
  std::vector<Waiter> ws(2);
  std::vector<std::size_t> order;
  {
    Proc p(env, cfg);
    add_and_wait(*p.log, m, ws, 0, order, 2);
    CHECK(order.empty());
  }  // crash
  REQUIRE(ws[0].result.has_value());
  CHECK(*ws[0].result);
  {
    Proc p(env, cfg);
    add_and_wait(*p.log, m, ws, 1, order, 2);
    REQUIRE_FALSE(p.log->close());  // syncs first, so this one is durable
    REQUIRE(ws[1].result.has_value());
    CHECK_FALSE(*ws[1].result);
    std::optional<std::error_code> after;
    p.log->wait_durable(Offset(m.next() + 5), [&](std::error_code ec) { after = ec; });
    REQUIRE(after.has_value());
    CHECK(*after == StorageErrc::closed);
  }
  CHECK(ws[0].calls == 1);
  CHECK(ws[1].calls == 1);
}

}  // namespace strata::test::durability
