// Truncation (PartitionLog::truncate_to, truncate_fully): what a follower
// whose log diverged does. The cut is at a batch boundary, later segments
// go, indexes and producer state follow, and neither a clean restart, a
// crash nor a power loss brings back truncated data, a stale snapshot or a
// stale checkpoint, even once the log has grown past the old end again.
#include <doctest/doctest.h>

#include <algorithm>

#include "replica_test_util.h"
#include "storage/producer_snapshots.h"
#include "storage/storage_errc.h"

namespace strata::test::replica {
namespace {

using recovery::check_log;
using storage::StorageErrc;

// An idempotent producer's batches, as it sent them (for resends).
struct Producer {
  explicit Producer(std::int64_t id) : pid(id) {}
  std::int64_t pid;
  std::int32_t seq = 0;
  std::vector<Batch> sent;
  std::vector<Offset> bases;

  // Sends its next batch of `count` records (ids from m.next()), noting it in m.
  void send_next(PartitionLog& log, Model& m, std::size_t count) {
    sent.push_back(producer_batch(m.next(), count, pid, seq));
    auto r = send(log, sent.back());
    REQUIRE_MESSAGE(r.has_value(), r.error().message());
    REQUIRE_FALSE(r.value().duplicate);
    REQUIRE(r.value().base == Offset(m.next()));
    bases.push_back(r.value().base);
    seq += static_cast<std::int32_t>(count);
    m.batches.push_back({m.next(), count, sent.back().size()});
    for (auto& rec : batch_records(m.next(), count, kT0 + static_cast<std::int64_t>(m.next()), recovery::kValueSize)) {
      m.records.push_back(std::move(rec));
    }
  }
};

std::vector<Offset> snapshot_offsets(const fs::path& dir) {
  std::vector<Offset> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (auto at = storage::ProducerSnapshots::parse_name(e.path().filename().string())) out.push_back(*at);
  }
  return out;
}

TEST_CASE("truncate_to cuts at a batch boundary, or before the batch holding the offset") {
  Replica r(small_config(600, 60));
  Model m(recovery::kValueSize);
  Producer p(5);
  for (std::size_t i = 0; i < 16; ++i) p.send_next(r.log(), m, 1 + i % 3);
  REQUIRE(r.log().segment_count() >= 4);
  const std::size_t keep = 9;
  const Offset cut = p.bases[keep];
  const std::uint64_t ts_gone = kT0 + static_cast<std::int64_t>(p.bases[keep + 2].value());
  // Inside batch `keep` when it has records past its first; at its base otherwise.
  const Offset asked = Offset(cut.value() + m.batches[keep].count - 1);
  const auto segments_before = segment_bases(r.dir());
  auto report = r.log().truncate_to(asked);
  REQUIRE_MESSAGE(report.has_value(), report.error().message());
  CHECK(report.value().end == cut);
  CHECK(r.log().log_end() == cut);
  m.keep_batches(keep);
  check_log(r.log(), m);
  recovery::check_every_offset(r.log(), m);
  // Later segments are gone from the disk, the time index with them.
  const auto segments_after = segment_bases(r.dir());
  CHECK(segments_after.size() < segments_before.size());
  CHECK(segments_after.back() <= cut.value());
  CHECK(report.value().segments_deleted == segments_before.size() - segments_after.size());
  CHECK_FALSE(r.log().offset_for_timestamp(static_cast<std::int64_t>(ts_gone)).value().has_value());
  for (const Offset at : snapshot_offsets(r.dir())) CHECK(at <= cut);
  // The log goes on from the cut.
  add(r.log(), m, 3);
  check_log(r.log(), m);
  // At or past the end, nothing is cut.
  const auto size = r.log().size_bytes();
  CHECK(r.log().truncate_to(r.log().log_end()).value().end == r.log().log_end());
  CHECK(r.log().truncate_to(r.log().log_end() + 10).value().end == r.log().log_end());
  CHECK(r.log().size_bytes() == size);
}

enum class Restart { none, close, crash, power_loss };

void restart(Replica& r, Restart how) {
  switch (how) {
    case Restart::none: return;
    case Restart::close: r.close_and_open(); return;
    case Restart::crash: r.crash(); break;
    case Restart::power_loss: r.power_loss(); break;
  }
  r.open();
}

TEST_CASE("after a truncation, restarted any way: no truncated data, and the producer state of the new end") {
  const Restart how = [] {
    Restart h = Restart::none;
    SUBCASE("still open") { h = Restart::none; }
    SUBCASE("clean restart") { h = Restart::close; }
    SUBCASE("crash") { h = Restart::crash; }
    SUBCASE("power loss") { h = Restart::power_loss; }
    return h;
  }();
  Replica r(small_config(600));
  Model m(recovery::kValueSize);
  Producer p(9);
  for (std::size_t i = 0; i < 14; ++i) p.send_next(r.log(), m, 2);
  REQUIRE_FALSE(r.log().sync());
  // Snapshots above the cut exist: a truncation must not leave them usable.
  const Offset cut = p.bases[6];
  const auto snapshots = snapshot_offsets(r.dir());
  REQUIRE(std::any_of(snapshots.begin(), snapshots.end(), [cut](Offset at) { return at > cut; }));
  REQUIRE(r.log().truncate_to(cut).has_value());
  m.keep_batches(6);
  restart(r, how);
  CHECK(r.log().log_end() == cut);
  check_log(r.log(), m);
  // The last batch kept is a duplicate; the first one cut is not: it is
  // appended again, at the offset it had.
  const auto dup = send(r.log(), p.sent[5]);
  REQUIRE(dup.has_value());
  CHECK(dup.value().duplicate);
  CHECK(dup.value().base == p.bases[5]);
  const auto again = send(r.log(), p.sent[6]);
  REQUIRE(again.has_value());
  CHECK_FALSE(again.value().duplicate);
  CHECK(again.value().base == cut);
  // Another producer takes the log past its old end (rolls, snapshots);
  // then a power loss. Nothing of the old tail, and p goes on from sent[6].
  Model rest(recovery::kValueSize);
  for (std::size_t i = 0; i < 12; ++i) {
    REQUIRE(send(r.log(), producer_batch(5000 + i, 3, -1, -1)).has_value());
  }
  REQUIRE(r.log().log_end() > p.bases.back());
  REQUIRE_FALSE(r.log().sync());
  const auto bytes = log_bytes(r.log());
  r.power_loss();
  r.open();
  CHECK(log_bytes(r.log()) == bytes);
  const Offset end = r.log().log_end();
  const auto next = send(r.log(), p.sent[7]);  // the sequence after sent[6]
  REQUIRE(next.has_value());
  CHECK_FALSE(next.value().duplicate);
  CHECK(next.value().base == end);
}

TEST_CASE("a truncation is durable when it returns: a power loss right after keeps exactly the new end") {
  Replica r(small_config(600));
  Model m(recovery::kValueSize);
  for (std::size_t i = 0; i < 12; ++i) add(r.log(), m, 2);
  // Nothing synced yet: the truncation syncs what it keeps.
  REQUIRE(r.log().durable_end() < Offset(10));
  REQUIRE(r.log().truncate_to(Offset(10)).has_value());
  CHECK(r.log().durable_end() == Offset(10));
  m.keep_through(10);
  r.power_loss();
  r.open();
  CHECK(r.log().log_end() == Offset(10));
  check_log(r.log(), m);
}

TEST_CASE("truncating below the log start, or truncate_fully, starts an empty log at that offset") {
  const bool fully_above = [] {
    bool a = false;
    SUBCASE("truncate_to below the log start") { a = false; }
    SUBCASE("truncate_fully above the log end") { a = true; }
    return a;
  }();
  Replica r(small_config(300, 100, 900));
  Producer p(3);
  Model m(recovery::kValueSize);
  for (std::size_t i = 0; i < 12; ++i) p.send_next(r.log(), m, 3);
  REQUIRE(r.log().enforce_retention().value().segments_deleted > 0);
  const Offset start = r.log().log_start();
  REQUIRE(start > Offset(3));
  REQUIRE(r.log().epoch_history().front().start == start);  // retention moved the history's start
  const Offset target = fully_above ? r.log().log_end() + 1000 : Offset(start.value() - 3);
  auto report = fully_above ? r.log().truncate_fully(target) : r.log().truncate_to(target);
  REQUIRE_MESSAGE(report.has_value(), report.error().message());
  CHECK(report.value().end == target);
  CHECK(r.log().log_start() == target);
  CHECK(r.log().log_end() == target);
  CHECK(r.log().epoch_history().empty());
  CHECK(snapshot_offsets(r.dir()).empty());
  CHECK(segment_bases(r.dir()) == std::vector<std::uint64_t>{target.value()});
  r.power_loss();
  r.open();
  CHECK(r.log().log_start() == target);
  CHECK(r.log().log_end() == target);
  // No producer state: p's old batches are new again.
  const auto again = send(r.log(), p.sent.back());
  REQUIRE(again.has_value());
  CHECK_FALSE(again.value().duplicate);
  CHECK(again.value().base == target);
}

TEST_CASE("truncation fails the waiters above the new end and waits for no sync in flight") {
  Replica r;
  Model m(recovery::kValueSize);
  for (std::size_t i = 0; i < 6; ++i) add(r.log(), m, 2);
  std::vector<std::error_code> results(2, make_error_code(std::errc::interrupted));
  r.log().wait_durable(Offset(4), [&results](std::error_code ec) { results[0] = ec; });
  r.log().wait_durable(Offset(12), [&results](std::error_code ec) { results[1] = ec; });
  auto ticket = r.log().begin_sync();
  REQUIRE(ticket.has_value());
  CHECK(r.log().truncate_to(Offset(6)).error() == make_error_code(StorageErrc::sync_in_flight));
  CHECK(r.log().truncate_fully(Offset(6)).error() == make_error_code(StorageErrc::sync_in_flight));
  const auto ran = ticket->run();
  CHECK_FALSE(r.log().complete_sync(*ticket, ran));
  CHECK_FALSE(results[0]);  // both answered by that sync
  CHECK_FALSE(results[1]);
  add(r.log(), m, 2);
  r.log().wait_durable(Offset(14), [&results](std::error_code ec) { results[0] = ec; });
  r.log().wait_durable(Offset(13), [&results](std::error_code ec) { results[1] = ec; });
  REQUIRE(r.log().truncate_to(Offset(6)).has_value());
  CHECK(results[0] == make_error_code(StorageErrc::truncated));
  CHECK(results[1] == make_error_code(StorageErrc::truncated));
  bool below = false;
  r.log().wait_durable(Offset(6), [&below](std::error_code ec) { below = !ec; });
  CHECK(below);
}

TEST_CASE("a truncation whose epoch-file write fails cuts nothing, one whose sync fails stops the log") {
  Replica r(small_config(600));
  Model m(recovery::kValueSize);
  REQUIRE_FALSE(r.log().set_leader_epoch(1));
  for (std::size_t i = 0; i < 6; ++i) add(r.log(), m, 2);
  REQUIRE_FALSE(r.log().set_leader_epoch(2));
  for (std::size_t i = 0; i < 6; ++i) add(r.log(), m, 2);
  REQUIRE_FALSE(r.log().sync());
  const auto history = r.log().epoch_history();
  // Cutting where epoch 2 starts rewrites the history first: that fails,
  // and nothing else is touched; the log goes on.
  REQUIRE(history.back() == storage::EpochEntry{2, Offset(12)});
  r.env.faults.fail_next_sync(std::errc::io_error);
  CHECK(r.log().truncate_to(Offset(12)).error() == std::errc::io_error);
  CHECK(r.log().log_end() == Offset(m.next()));
  CHECK(r.log().epoch_history() == history);
  CHECK_FALSE(r.log().read_only_reason());
  check_log(r.log(), m);
  // Cutting inside epoch 2 leaves the history as it is, so the first sync
  // is the one after the cut: it fails, and the log stops taking writes.
  r.env.faults.fail_next_sync(std::errc::io_error);
  CHECK(r.log().truncate_to(Offset(20)).error() == std::errc::io_error);
  CHECK(r.log().read_only_reason() == std::errc::io_error);
  CHECK(r.log().truncate_to(Offset(18)).error() == make_error_code(StorageErrc::read_only));
  CHECK(r.log().append_replica(producer_batch(0, 1, -1, -1)).error() == make_error_code(StorageErrc::read_only));
  // Reopened after a power loss: the old log or the cut one, whole either way.
  r.power_loss();
  r.open();
  const Offset end = r.log().log_end();
  CHECK((end == Offset(20) || end == Offset(m.next())));
  m.keep_through(end.value());
  check_log(r.log(), m);
  CHECK(r.log().epoch_history() == history);
}

TEST_CASE("a missing, damaged or stale leader-epoch file is rebuilt from the log on open") {
  const int damage = [] {
    int d = 0;
    SUBCASE("missing") { d = 0; }
    SUBCASE("damaged") { d = 1; }
    SUBCASE("stale: a truncation stopped after cutting the history") { d = 2; }
    SUBCASE("intact") { d = 3; }
    return d;
  }();
  Replica r(small_config(500));
  Model m(recovery::kValueSize);
  // Epochs change inside segments and at rolls.
  for (std::int32_t epoch : {0, 2, 5, 9}) {
    REQUIRE_FALSE(r.log().set_leader_epoch(epoch));
    for (std::size_t i = 0; i < 5; ++i) add(r.log(), m, 2);
  }
  const auto history = r.log().epoch_history();
  REQUIRE(history.size() == 4);
  r.close_and_open();
  r.crash();
  const auto path = r.dir() / storage::kLeaderEpochFile;
  if (damage == 0) fs::remove(path);
  if (damage == 1) recovery::write_file(path, std::vector<std::uint8_t>(40, 0x5a));
  if (damage == 2) {
    const std::vector<storage::EpochEntry> cut(history.begin(), history.begin() + 2);
    recovery::write_file(path, storage::encode_epoch_file(cut));
  }
  r.env.events.clear();
  r.open();
  CHECK(r.log().epoch_history() == history);
  const bool rebuilt = std::any_of(r.env.events.begin(), r.env.events.end(), [](const std::string& e) {
    return e.find("rebuilt the leader-epoch history") != std::string::npos;
  });
  CHECK(rebuilt == (damage != 3));
  // And written back: the next open reads it.
  r.close_and_open();
  CHECK(r.log().epoch_history() == history);
  CHECK(storage::decode_epoch_file(storage::read_small_file(r.env.posix, path, 1 << 20).value()).value() == history);
}

}  // namespace
}  // namespace strata::test::replica
