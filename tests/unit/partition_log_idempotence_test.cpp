// Idempotent appends against a real PartitionLog in a temp dir: a producer's
// resend is answered with its first offsets and writes nothing, a gap is
// StorageErrc::out_of_order_sequence and writes nothing, and the producer
// state survives every way a log is closed and reopened (the snapshot in
// the clean-shutdown marker, or a rebuild from the log after a crash or
// when the marker holds none), rolls and retention.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <vector>

#include "recovery_test_util.h"
#include "storage/checkpoint.h"
#include "storage/producer_snapshots.h"
#include "storage/producer_state.h"
#include "storage/storage_errc.h"

namespace strata::test::recovery {
namespace {

struct Sent {
  std::vector<std::uint8_t> bytes;  // as first sent, before the broker stamped it
  std::uint64_t base;
  std::uint64_t last;
};

[[nodiscard]] Result<storage::AppendResult> send_bytes(PartitionLog& log, std::vector<std::uint8_t> bytes) {
  auto valid = protocol::validate_for_append(bytes, protocol::kMaxBatchBytes);
  REQUIRE(valid.has_value());
  return log.append(valid.value());
}

// A producer's batch of the records add() would append next to m.
std::vector<std::uint8_t> producer_batch(const Model& m, std::size_t count, std::int64_t pid, std::int32_t seq) {
  protocol::BatchBuilder b;
  b.set_producer(pid, 0, seq);
  for (const auto& r : batch_records(m.next(), count, kT0 + static_cast<std::int64_t>(m.next()), kValueSize)) {
    b.add(r.timestamp, protocol::as_bytes(r.key), protocol::as_bytes(r.value));
  }
  return b.finish();
}

struct Producer {
  explicit Producer(std::int64_t id) : pid(id) {}
  std::int64_t pid;
  std::int32_t next_seq = 0;
  std::vector<Sent> sent;

  // Sends the next batch in order; requires it appended at m.next().
  const Sent& send(PartitionLog& log, Model& m, std::size_t count) {
    auto bytes = producer_batch(m, count, pid, next_seq);
    auto r = send_bytes(log, bytes);
    REQUIRE_MESSAGE(r.has_value(), r.error().message());
    CHECK_FALSE(r.value().duplicate);
    REQUIRE(r.value().base == Offset(m.next()));
    REQUIRE(r.value().last == Offset(m.next() + count - 1));
    sent.push_back({bytes, m.next(), m.next() + count - 1});
    m.batches.push_back({m.next(), count, bytes.size()});
    for (auto& rec : batch_records(m.next(), count, kT0 + static_cast<std::int64_t>(m.next()), kValueSize)) {
      m.records.push_back(std::move(rec));
    }
    next_seq = protocol::next_sequence(next_seq, static_cast<std::uint32_t>(count));
    return sent.back();
  }
};

// The resend of s is a duplicate with s's offsets and changes nothing.
void check_duplicate(PartitionLog& log, const Model& m, const Sent& s) {
  CAPTURE(s.base);
  const auto end = log.log_end();
  const auto size = log.size_bytes();
  const auto r = send_bytes(log, s.bytes);
  REQUIRE_MESSAGE(r.has_value(), r.error().message());
  CHECK(r.value().duplicate);
  CHECK(r.value().base == Offset(s.base));
  CHECK(r.value().last == Offset(s.last));
  CHECK(log.log_end() == end);
  CHECK(log.size_bytes() == size);
  CHECK(log.log_end() == Offset(m.next()));
}

void check_refused(PartitionLog& log, std::vector<std::uint8_t> bytes) {
  const auto end = log.log_end();
  const auto size = log.size_bytes();
  check_append_fails(log, bytes, make_error_code(storage::StorageErrc::out_of_order_sequence));
  CHECK(log.log_end() == end);
  CHECK(log.size_bytes() == size);
}

// What a log that p has sent 8 batches to must answer: resends of the last
// 5 are duplicates, older ones and gaps refused; everything reads back as m.
void check_state(PartitionLog& log, Model& m, Producer& p) {
  REQUIRE(p.sent.size() >= 6);
  const std::size_t n = p.sent.size();
  for (std::size_t j = n - 5; j < n; ++j) check_duplicate(log, m, p.sent[j]);
  for (std::size_t j = 0; j < n - 5; ++j) check_refused(log, p.sent[j].bytes);
  check_refused(log, producer_batch(m, 1, p.pid, p.next_seq + 1));
  check_log(log, m);
  p.send(log, m, 2);
  check_duplicate(log, m, p.sent.back());
  check_log(log, m);
}

TEST_CASE("a resend is a duplicate with its first offsets, a gap is out_of_order_sequence, nothing is written") {
  StorageEnv env;
  const auto cfg = small_config();
  Proc proc(env, cfg);
  Model m(kValueSize);
  Producer p{11};
  Producer other{12};
  for (std::size_t i = 0; i < 8; ++i) {
    p.send(*proc.log, m, i % 3 + 1);
    if (i % 3 == 0) other.send(*proc.log, m, 1);
  }
  // A batch without a producer goes in whatever its neighbours are.
  add(*proc.log, m, 2);
  check_state(*proc.log, m, p);
  check_duplicate(*proc.log, m, other.sent.back());
  check_refused(*proc.log, producer_batch(m, 1, other.pid, other.next_seq + 5));
  // A producer the log has not seen starts anywhere.
  Producer fresh{13};
  fresh.next_seq = 1'000'000;
  fresh.send(*proc.log, m, 1);
  check_log(*proc.log, m);
}

enum class Reopen { close, close_many, crash, empty_marker, corrupted_marker, stale_snapshot };

// Ends p's process the given way and starts the next one.
void reopen(StorageEnv& env, const LogConfig& cfg, std::unique_ptr<Proc>& p, Reopen how) {
  const Offset end = p->log->log_end();
  const auto marker = env.partition_dir() / storage::kCleanShutdownFile;
  switch (how) {
    case Reopen::crash:
      break;
    case Reopen::close_many: {
      PartitionLog* logs[] = {p->log.get()};
      REQUIRE_FALSE(PartitionLog::close_many(env.faults, logs));
      break;
    }
    default:
      REQUIRE_FALSE(p->log->close());
  }
  p.reset();
  if (how == Reopen::empty_marker) write_file(marker, {});
  if (how == Reopen::corrupted_marker) {
    auto bytes = storage::ProducerState{}.encode(end);
    REQUIRE(fs::file_size(marker) > bytes.size());  // the real one holds producers
    std::vector<std::uint8_t> data(fs::file_size(marker));
    {
      std::FILE* f = std::fopen(marker.c_str(), "rb");
      REQUIRE(f != nullptr);
      REQUIRE(std::fread(data.data(), 1, data.size(), f) == data.size());
      std::fclose(f);
    }
    data[data.size() / 2] ^= 0x10;
    write_file(marker, data);
  }
  // A valid snapshot, but of another log end: must not be used.
  if (how == Reopen::stale_snapshot) write_file(marker, storage::ProducerState{}.encode(end + 1));
  p = std::make_unique<Proc>(env, cfg);
  CHECK(p->log->recovery_report().clean_shutdown == (how != Reopen::crash));
  CHECK(p->log->log_end() == end);
}

TEST_CASE("the producer state survives every way of closing and reopening the log") {
  const Reopen how = [] {
    Reopen h = Reopen::close;
    SUBCASE("close") { h = Reopen::close; }
    SUBCASE("close_many") { h = Reopen::close_many; }
    SUBCASE("crash") { h = Reopen::crash; }
    SUBCASE("empty marker") { h = Reopen::empty_marker; }
    SUBCASE("corrupted marker") { h = Reopen::corrupted_marker; }
    SUBCASE("snapshot of another log end") { h = Reopen::stale_snapshot; }
    return h;
  }();
  CAPTURE(static_cast<int>(how));
  StorageEnv env;
  const auto cfg = small_config(600);  // a few batches a segment
  auto proc = std::make_unique<Proc>(env, cfg);
  Model m(kValueSize);
  Producer p{21};
  Producer q{22};
  q.next_seq = std::numeric_limits<std::int32_t>::max() - 2;  // wraps below
  for (std::size_t i = 0; i < 8; ++i) {
    p.send(*proc->log, m, i % 3 + 1);
    q.send(*proc->log, m, 1);
  }
  REQUIRE(proc->log->segment_count() >= 3);
  reopen(env, cfg, proc, how);
  if (how == Reopen::close || how == Reopen::close_many) CHECK(proc->log->recovery_report().bytes_scanned == 0);
  check_state(*proc->log, m, p);
  check_state(*proc->log, m, q);
  // And once more after the appends check_state made.
  reopen(env, cfg, proc, how);
  check_state(*proc->log, m, p);
}

TEST_CASE("a clean open takes the state from the marker's snapshot, not from the log") {
  StorageEnv env;
  const auto cfg = small_config();
  auto proc = std::make_unique<Proc>(env, cfg);
  Model m(kValueSize);
  Producer p{31};
  for (std::size_t i = 0; i < 3; ++i) p.send(*proc->log, m, 2);
  REQUIRE_FALSE(proc->log->close());
  const Offset end = proc->log->log_end();
  proc.reset();
  // A valid snapshot for this log end that knows no producer.
  write_file(env.partition_dir() / storage::kCleanShutdownFile, storage::ProducerState{}.encode(end));
  proc = std::make_unique<Proc>(env, cfg);
  REQUIRE(proc->log->recovery_report().clean_shutdown);
  const auto r = send_bytes(*proc->log, p.sent.back().bytes);
  REQUIRE(r.has_value());
  CHECK_FALSE(r.value().duplicate);  // unknown producer: appended again
  CHECK(r.value().base == end);
}

TEST_CASE("a resend of a batch written before a roll is recognised after a crash") {
  StorageEnv env;
  const auto cfg = small_config(300);  // about one batch a segment
  auto proc = std::make_unique<Proc>(env, cfg);
  Model m(kValueSize);
  Producer p{41};
  for (std::size_t i = 0; i < 6; ++i) p.send(*proc->log, m, 3);
  const auto bases = segment_bases(env.partition_dir());
  REQUIRE(bases.size() >= 4);
  const Sent first_kept = p.sent[1];
  REQUIRE(first_kept.last < bases.back());  // not in the active segment
  REQUIRE(first_kept.last < bases[bases.size() - 2]);  // not in the last two either
  reopen(env, cfg, proc, Reopen::crash);
  CHECK(proc->log->recovery_report().segments >= 4);
  check_duplicate(*proc->log, m, first_kept);
  check_state(*proc->log, m, p);
}

TEST_CASE("after retention deletes segments the producer state still works") {
  const Reopen how = [] {
    Reopen h = Reopen::crash;
    SUBCASE("crash") { h = Reopen::crash; }
    SUBCASE("close") { h = Reopen::close; }
    return h;
  }();
  StorageEnv env;
  const auto cfg = small_config(300, 100, 900);  // keep about three segments
  auto proc = std::make_unique<Proc>(env, cfg);
  Model m(kValueSize);
  Producer p{51};
  for (std::size_t i = 0; i < 12; ++i) p.send(*proc->log, m, 3);
  const auto report = proc->log->enforce_retention();
  REQUIRE(report.has_value());
  REQUIRE(report.value().segments_deleted >= 3);
  const Offset start = proc->log->log_start();
  REQUIRE(start > Offset(p.sent[6].base));
  // Batches still in the log are duplicates, the next one goes in.
  check_duplicate(*proc->log, m, p.sent.back());
  p.send(*proc->log, m, 1);
  reopen(env, cfg, proc, how);
  CHECK(proc->log->log_start() == start);
  check_duplicate(*proc->log, m, p.sent.back());
  check_refused(*proc->log, producer_batch(m, 1, p.pid, p.next_seq + 1));
  p.send(*proc->log, m, 1);
  // Everything deleted: nothing to rebuild from, yet appends go on.
  auto none = small_config(300, 100, 0);
  REQUIRE_FALSE(proc->log->set_config(none));
  REQUIRE(proc->log->enforce_retention().has_value());
  const Offset end = proc->log->log_end();
  reopen(env, none, proc, how);
  CHECK(proc->log->log_end() == end);
  p.send(*proc->log, m, 1);
}

// A log that producer `id` sent n batches of 1 to 3 records to, with a
// roll (and so a snapshot) every few batches.
struct Rolled {
  Rolled(std::int64_t id, std::size_t n) : proc(std::make_unique<Proc>(env, cfg)), p(id) {
    for (std::size_t i = 0; i < n; ++i) p.send(*proc->log, m, i % 3 + 1);
  }
  StorageEnv env;
  LogConfig cfg = small_config(600);
  std::unique_ptr<Proc> proc;
  Model m{kValueSize};
  Producer p;
};

// The snapshot files in the partition directory, oldest first.
std::vector<Offset> snapshot_offsets(const fs::path& dir) {
  std::vector<Offset> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (auto at = storage::ProducerSnapshots::parse_name(e.path().filename().string())) out.push_back(*at);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("after a crash the producer state comes from the newest snapshot plus the batches after it") {
  Rolled r(61, 20);
  auto& [env, cfg, proc, m, p] = r;
  const auto bases = segment_bases(env.partition_dir());
  REQUIRE(bases.size() >= 4);
  // The last two rolls' snapshots are kept, no more.
  const auto kept = snapshot_offsets(env.partition_dir());
  REQUIRE(kept.size() == storage::ProducerSnapshots::kKept);
  CHECK(kept.back() == Offset(bases.back()));
  reopen(env, cfg, proc, Reopen::crash);
  const auto& report = proc->log->recovery_report();
  REQUIRE(report.producer_snapshot.has_value());
  CHECK(*report.producer_snapshot == Offset(bases.back()));
  // The snapshot file and the active segment, not the log's tail.
  CHECK(report.producer_state_bytes < fs::file_size(env.partition_dir() / storage::ProducerSnapshots::file_name(
                                                                             Offset(bases.back()))) +
                                          600);
  check_state(*proc->log, m, p);
}

TEST_CASE("a damaged snapshot is passed over for an older one, then for the scan of the log") {
  const int damaged = [] {
    int d = 1;
    SUBCASE("newest damaged") { d = 1; }
    SUBCASE("both damaged") { d = 2; }
    return d;
  }();
  Rolled r(71, 12);
  auto& [env, cfg, proc, m, p] = r;
  const auto kept = snapshot_offsets(env.partition_dir());
  REQUIRE(kept.size() == 2);
  for (int i = 0; i < damaged; ++i) {
    const auto path = env.partition_dir() / storage::ProducerSnapshots::file_name(kept[kept.size() - 1 - i]);
    auto bytes = storage::ProducerState{}.encode(kept[kept.size() - 1 - i]);
    bytes[bytes.size() / 2] ^= 0x10;  // fails its checksum
    write_file(path, bytes);
  }
  reopen(env, cfg, proc, Reopen::crash);
  const auto& report = proc->log->recovery_report();
  if (damaged == 1) {
    REQUIRE(report.producer_snapshot.has_value());
    CHECK(*report.producer_snapshot == kept.front());
  } else {
    CHECK_FALSE(report.producer_snapshot.has_value());
  }
  check_state(*proc->log, m, p);
}

TEST_CASE("a snapshot past the recovered log end is removed, not used") {
  Rolled r(81, 12);
  auto& [env, cfg, proc, m, p] = r;
  const Offset end = proc->log->log_end();
  // As if the log had been cut below it: a valid snapshot that knows no producer.
  write_file(env.partition_dir() / storage::ProducerSnapshots::file_name(end + 5),
             storage::ProducerState{}.encode(end + 5));
  reopen(env, cfg, proc, Reopen::crash);
  CHECK(proc->log->recovery_report().producer_snapshot != std::optional<Offset>(end + 5));
  CHECK_FALSE(fs::exists(env.partition_dir() / storage::ProducerSnapshots::file_name(end + 5)));
  check_state(*proc->log, m, p);
}

}  // namespace
}  // namespace strata::test::recovery
