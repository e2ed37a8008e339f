// Durability (DESIGN decisions 4 and 7): group commit, sync tickets run off
// the owner's thread, fsync failure turning the partition read-only, ENOSPC
// on append, directory syncs for new segments, and the acknowledgement
// levels.
//
// A "crash" destroys the PartitionLog without close() together with the
// FileCache it used (every descriptor closes, as when the process dies); a
// power loss additionally calls faults.drop_unsynced().
#include <doctest/doctest.h>

#include <optional>
#include <thread>

#include "storage/checkpoint.h"
#include "storage/storage_errc.h"
#include "storage_test_util.h"

namespace strata::test {
namespace {

namespace fs = std::filesystem;
using storage::LogConfig;
using storage::Offset;
using storage::PartitionLog;
using storage::StorageErrc;

// log_end matches and every record reads back, field by field.
void check_log(PartitionLog& log, const Model& m) {
  REQUIRE(log.log_end() == Offset(m.next()));
  const auto got = read_all_with_offsets(log, Offset(0));
  REQUIRE(got.size() == m.records.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    REQUIRE(got[i].offset == i);
    REQUIRE(got[i].record.key == m.records[i].key);
    REQUIRE(got[i].record.value == m.records[i].value);
    REQUIRE(got[i].record.timestamp == m.records[i].timestamp);
  }
}

// A read from every offset starts at that record; a timestamp lookup finds it.
void check_every_offset(PartitionLog& log, const Model& m) {
  for (std::uint64_t o = 0; o < m.next(); ++o) {
    CAPTURE(o);
    const auto got = read_all_with_offsets(log, Offset(o), 100);
    REQUIRE(got.size() == m.next() - o);
    REQUIRE(got.front().offset == o);
    REQUIRE(got.front().record.key == m.records[o].key);
    auto ts = log.offset_for_timestamp(m.records[o].timestamp);
    REQUIRE(ts.has_value());
    REQUIRE(ts.value() == std::optional<Offset>(Offset(o)));
  }
}

// One registered durability waiter and what it was told.
struct Waiter {
  std::uint64_t end = 0;
  std::optional<std::error_code> result;
  int calls = 0;
};

// Registers a waiter whose callback also appends its index to `order`.
void wait(PartitionLog& log, std::vector<Waiter>& ws, std::size_t i, std::vector<std::size_t>& order) {
  log.wait_durable(Offset(ws[i].end), [&ws, &order, i](std::error_code ec) {
    ws[i].result = ec;
    ++ws[i].calls;
    order.push_back(i);
  });
}

// Exactly the first n waiters were answered, in index order, with success.
void check_succeeded_in_order(const std::vector<Waiter>& ws, const std::vector<std::size_t>& order, std::size_t n) {
  REQUIRE(order.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(i);
    CHECK(order[i] == i);
    CHECK_FALSE(ws[i].result.value());
  }
}

// Appends `count` records and registers waiter i for the offset after them.
void add_and_wait(PartitionLog& log, Model& m, std::vector<Waiter>& ws, std::size_t i, std::vector<std::size_t>& order,
                  std::size_t count, std::optional<std::size_t> value_size = std::nullopt) {
  ws[i].end = add(log, m, count, value_size.value_or(m.value_size)).end();
  wait(log, ws, i, order);
}

std::uint64_t log_file_bytes(const fs::path& dir) {
  std::uint64_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".log") n += fs::file_size(e.path());
  }
  return n;
}

}  // namespace

// ------------------------------------------------------------ group commit

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

// ----------------------------------------------------------- fsync failure

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

// ------------------------------------------------------------------ ENOSPC

TEST_CASE("durability: ENOSPC on append leaves the log unchanged and the next append takes the offset") {
  StorageEnv env;
  const LogConfig cfg = small_config(700);  // small: some attempts land on a roll
  const auto enospc = std::make_error_code(std::errc::no_space_on_device);
  Model m;
  {
    Proc p(env, cfg);
    PartitionLog& log = *p.log;
    for (int i = 0; i < 3; ++i) add(log, m, 2);
    auto attempt_fails = [&](std::size_t count) {
      const auto end = log.log_end();
      const auto size = log.size_bytes();
      const auto on_disk = log_file_bytes(env.partition_dir());
      auto bytes = batch_for(m, count, 30);
      check_append_fails(log, bytes, enospc);
      CHECK(log.log_end() == end);
      CHECK(log.size_bytes() == size);
      CHECK(log_file_bytes(env.partition_dir()) == on_disk);
    };
    SUBCASE("the next write fails once, before every append") {
      for (int i = 0; i < 16; ++i) {
        CAPTURE(i);
        env.faults.fail_next_write(std::errc::no_space_on_device);
        attempt_fails(2);
        check_log(log, m);
        add(log, m, 2, 30);  // same offset the failed one would have had
      }
      CHECK(log.segment_count() > 2);
    }
    SUBCASE("the disk stays full for a while") {
      env.faults.set_write_error(std::errc::no_space_on_device);
      for (int i = 0; i < 12; ++i) attempt_fails(1 + static_cast<std::size_t>(i % 3));
      check_log(log, m);
      env.faults.set_write_error(std::nullopt);
      for (int i = 0; i < 8; ++i) add(log, m, 2, 30);
      CHECK(log.segment_count() > 1);
    }
    check_log(log, m);
    check_every_offset(log, m);
    REQUIRE_FALSE(log.sync());
  }  // crash after a sync
  REQUIRE_FALSE(env.faults.drop_unsynced());
  {
    Proc p(env, cfg);
    CHECK_FALSE(p.log->recovery_report().corruption_found);
    CHECK(p.log->recovery_report().bytes_truncated == 0);
    check_log(*p.log, m);
    check_every_offset(*p.log, m);
    REQUIRE_FALSE(p.log->close());
  }
  Proc p(env, cfg);
  CHECK(p.log->recovery_report().clean_shutdown);
  check_every_offset(*p.log, m);
}

TEST_CASE("durability: close() on a full disk fails, and succeeds once space is back") {
  StorageEnv env;
  const LogConfig cfg = small_config(700);
  Model m;
  {
    Proc p(env, cfg);
    for (int i = 0; i < 9; ++i) add(*p.log, m, 2, 30);  // pending index entries
    env.faults.set_write_error(std::errc::no_space_on_device);
    const auto first = p.log->close();
    CAPTURE(first.message());
    if (first) {
      CHECK_FALSE(fs::exists(env.partition_dir() / storage::kCleanShutdownFile));
      check_log(*p.log, m);  // still open and readable
    }
    env.faults.set_write_error(std::nullopt);
    REQUIRE_FALSE(p.log->close());
  }
  Proc p(env, cfg);
  CHECK(p.log->recovery_report().clean_shutdown);
  CHECK_FALSE(p.log->recovery_report().corruption_found);
  check_log(*p.log, m);
  check_every_offset(*p.log, m);
}

// ------------------------------------------------------- directory syncs

TEST_CASE("durability: a new segment's directory entry is synced before a durable ack") {
  StorageEnv env;
  const LogConfig cfg = small_config(600);
  Model m;
  {
    Proc p(env, cfg);
    PartitionLog& log = *p.log;
    // A brand-new partition: its first segment needs a directory sync too.
    const auto d0 = env.faults.directory_syncs();
    std::uint64_t seen = 0;
    log.wait_durable(Offset(add(log, m, 2).end()), [&](std::error_code ec) {
      CHECK_FALSE(ec);
      seen = env.faults.directory_syncs();
    });
    REQUIRE_FALSE(log.sync());
    CHECK(seen > d0);

    for (const bool explicit_roll : {true, false}) {
      CAPTURE(explicit_roll);
      const auto segments = log.segment_count();
      if (explicit_roll) {
        REQUIRE_FALSE(log.roll());
        add(log, m, 2);
      } else {
        while (log.segment_count() == segments) add(log, m, 3, 40);
      }
      REQUIRE(log.segment_count() == segments + 1);
      const auto before = env.faults.directory_syncs();
      std::optional<std::uint64_t> at_ack;
      log.wait_durable(log.log_end(), [&](std::error_code ec) {
        CHECK_FALSE(ec);
        at_ack = env.faults.directory_syncs();
      });
      CHECK_FALSE(at_ack.has_value());
      REQUIRE_FALSE(log.sync());
      CHECK(env.faults.directory_syncs() > before);
      REQUIRE(at_ack.has_value());
      CHECK(*at_ack > before);
    }
  }  // crash
  REQUIRE_FALSE(env.faults.drop_unsynced());
  Proc p(env, cfg);
  check_log(*p.log, m);  // the new segments survived the power loss
  CHECK(p.log->segment_count() >= 3);
}

// ------------------------------------------------------------ ack levels

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

}  // namespace strata::test
