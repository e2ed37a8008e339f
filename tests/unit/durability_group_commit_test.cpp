// Group commit (DESIGN decisions 4 and 7): one sync answers every waiting
// append in offset order; sync tickets run off the owner's thread while it
// appends and rolls; sync() and close() while a ticket is in flight.
#include <doctest/doctest.h>

#include <cstddef>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "durability_test_util.h"

namespace strata::test::durability {
namespace {

// Exactly the first n waiters were answered, in index order, with success.
void check_succeeded_in_order(const std::vector<Waiter>& ws, const std::vector<std::size_t>& order, std::size_t n) {
  REQUIRE(order.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(i);
    CHECK(order[i] == i);
    CHECK_FALSE(ws[i].result.value());
  }
}

}  // namespace

TEST_CASE("durability: one sync answers every waiting append, in offset order") {
  StorageEnv env;
  auto log = env.open(small_config());
  Model m;
  constexpr std::size_t kAppends = 25;
  std::vector<Waiter> ws(kAppends);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < kAppends; ++i) add_and_wait(*log, m, ws, i, order, 1 + i % 3);
  CHECK(order.empty());  // nothing is durable before a sync
  CHECK(log->durable_end() == Offset(0));
  CHECK(log->durable_end() < log->log_end());

  const auto syncs_before = env.faults.file_syncs();
  bool more = true;
  SUBCASE("sync()") {
    REQUIRE_FALSE(log->sync());
    more = false;
  }
  SUBCASE("begin_sync, run, complete_sync") {
    auto ticket = log->begin_sync();
    REQUIRE(ticket.has_value());
    CHECK(ticket->target() == log->log_end());
    CHECK(log->sync_in_flight());
    CHECK(order.empty());
    const auto ec = ticket->run();
    CHECK_FALSE(ec);
    CHECK(order.empty());  // answered on complete_sync, on the owner's thread
    more = log->complete_sync(*ticket, ec);
    CHECK_FALSE(log->sync_in_flight());
  }
  CHECK_FALSE(more);
  const auto syncs = env.faults.file_syncs() - syncs_before;
  CHECK(syncs >= 1);
  CHECK(syncs <= 3);  // one round of fdatasyncs (log, at most its indexes)
  CHECK(syncs < kAppends);
  REQUIRE(order.size() == kAppends);
  for (std::size_t i = 0; i < kAppends; ++i) {
    CHECK(order[i] == i);
    CHECK(ws[i].calls == 1);
    REQUIRE(ws[i].result.has_value());
    CHECK_FALSE(*ws[i].result);
  }
  CHECK(log->durable_end() == log->log_end());
  CHECK(log->durable_end() == Offset(m.next()));

  // Already durable: answered at once.
  std::optional<std::error_code> now;
  log->wait_durable(Offset(m.batches[3].end()), [&](std::error_code ec) { now = ec; });
  REQUIRE(now.has_value());
  CHECK_FALSE(*now);
  // Nothing new to sync.
  CHECK_FALSE(log->begin_sync().has_value());

  // A second round costs another single round of syncs.
  std::vector<Waiter> ws2(10);
  std::vector<std::size_t> order2;
  for (std::size_t i = 0; i < ws2.size(); ++i) add_and_wait(*log, m, ws2, i, order2, 2);
  CHECK(order2.empty());
  const auto before2 = env.faults.file_syncs();
  REQUIRE_FALSE(log->sync());
  CHECK(env.faults.file_syncs() - before2 <= 3);
  check_succeeded_in_order(ws2, order2, ws2.size());
  check_log(*log, m);
}

TEST_CASE("durability: a second begin_sync while one is in flight returns nullopt") {
  StorageEnv env;
  auto log = env.open(small_config());
  Model m;
  std::vector<Waiter> ws(8);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < 4; ++i) add_and_wait(*log, m, ws, i, order, 2);
  auto ticket = log->begin_sync();
  REQUIRE(ticket.has_value());
  CHECK(ticket->target() == Offset(m.next()));
  CHECK(log->sync_in_flight());
  CHECK_FALSE(log->begin_sync().has_value());

  // More appends and waiters past the ticket's target.
  for (std::size_t i = 4; i < 8; ++i) add_and_wait(*log, m, ws, i, order, 2);
  CHECK_FALSE(log->begin_sync().has_value());
  const auto ec = ticket->run();
  REQUIRE_FALSE(ec);
  CHECK(log->complete_sync(*ticket, ec));  // waiters beyond the target remain
  CHECK(log->durable_end() == ticket->target());
  CHECK(log->durable_end() < log->log_end());
  check_succeeded_in_order(ws, order, 4);
  for (std::size_t i = 4; i < 8; ++i) CHECK(ws[i].calls == 0);

  auto second = log->begin_sync();
  REQUIRE(second.has_value());
  CHECK(second->target() == log->log_end());
  const auto ec2 = second->run();
  REQUIRE_FALSE(ec2);
  CHECK_FALSE(log->complete_sync(*second, ec2));
  check_succeeded_in_order(ws, order, 8);
  for (const auto& w : ws) CHECK(w.calls == 1);
  CHECK(log->durable_end() == log->log_end());
  CHECK_FALSE(log->begin_sync().has_value());
}

TEST_CASE("durability: waiters registered out of offset order are answered in offset order") {
  StorageEnv env;
  auto log = env.open(small_config());
  Model m;
  std::vector<Waiter> ws(3);
  std::vector<std::size_t> order;
  const auto e1 = add(*log, m, 1).end();
  const auto e2 = add(*log, m, 1).end();
  const auto e3 = add(*log, m, 1).end();
  ws[0].end = e3;
  ws[1].end = e1;
  ws[2].end = e2;
  for (std::size_t i = 0; i < 3; ++i) wait(*log, ws, i, order);
  REQUIRE_FALSE(log->sync());
  REQUIRE(order.size() == 3);
  for (const auto& w : ws) CHECK_FALSE(w.result.value());
  // By offset: e1 (waiter 1), e2 (waiter 2), e3 (waiter 0).
  CHECK(order[0] == 1);
  CHECK(order[1] == 2);
  CHECK(order[2] == 0);
}

TEST_CASE("durability: a ticket runs on another thread while the owner appends and rolls") {
  StorageEnv env;
  const LogConfig cfg = small_config(600);
  Model m;
  {
    Proc p(env, cfg);
    PartitionLog& log = *p.log;
    std::vector<Waiter> ws(40);
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < 6; ++i) add_and_wait(log, m, ws, i, order, 2);
    auto ticket = log.begin_sync();
    REQUIRE(ticket.has_value());
    const Offset target = ticket->target();
    CHECK(target == Offset(m.next()));
    const auto segments_before = log.segment_count();

    std::error_code run_result = make_error_code(StorageErrc::closed);
    std::thread syncer([&] { run_result = ticket->run(); });
    for (std::size_t i = 6; i < ws.size(); ++i) {
      add_and_wait(log, m, ws, i, order, 2, 30);
      CHECK_FALSE(log.begin_sync().has_value());  // still in flight
    }
    syncer.join();
    CHECK(log.segment_count() > segments_before);  // rolled meanwhile
    REQUIRE_FALSE(run_result);
    CHECK(order.empty());
    CHECK(log.complete_sync(*ticket, run_result));
    CHECK(log.durable_end() == target);
    for (std::size_t i = 0; i < ws.size(); ++i) {
      CAPTURE(i);
      CHECK(ws[i].calls == (Offset(ws[i].end) <= target ? 1 : 0));
    }
    REQUIRE_FALSE(log.sync());
    check_succeeded_in_order(ws, order, ws.size());
    CHECK(log.durable_end() == log.log_end());
  }  // crash
  REQUIRE_FALSE(env.faults.drop_unsynced());
  Proc p(env, cfg);
  check_log(*p.log, m);  // every acknowledged append survived the power loss
}

TEST_CASE("durability: sync() while a ticket is in flight does not report unsynced data as durable") {
  StorageEnv env;
  const LogConfig cfg = small_config();
  Model m;
  Proc p(env, cfg);
  add(*p.log, m, 3);
  auto ticket = p.log->begin_sync();
  REQUIRE(ticket.has_value());
  add(*p.log, m, 3);
  const auto ec = p.log->sync();
  // Either it refuses, or what it reports as done is done.
  if (!ec) CHECK(p.log->durable_end() == p.log->log_end());
  const auto run = ticket->run();
  p.log->complete_sync(*ticket, run);
}

TEST_CASE("durability: close() while a ticket is in flight leaves everything it acknowledges durable") {
  StorageEnv env;
  const LogConfig cfg = small_config();
  Model m;
  std::error_code closed;
  {
    Proc p(env, cfg);
    add(*p.log, m, 3);
    REQUIRE_FALSE(p.log->sync());
    const auto synced = m.next();
    add(*p.log, m, 3);
    auto ticket = p.log->begin_sync();  // its thread is still in fdatasync...
    REQUIRE(ticket.has_value());
    add(*p.log, m, 3);
    closed = p.log->close();  // ...when the broker shuts the partition
    if (closed) m.keep_through(synced);
  }  // the power fails before the ticket's fdatasync returns
  REQUIRE_FALSE(env.faults.drop_unsynced());
  Proc p(env, cfg);
  CAPTURE(closed.message());
  check_log(*p.log, m);
}

}  // namespace strata::test::durability
