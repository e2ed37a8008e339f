// Crash recovery (DESIGN decisions 3 and 7): torn tails, flipped bits,
// damaged indexes, lost unsynced bytes, bounded scans and bad checkpoints.
//
// A "crash" destroys the PartitionLog without close() together with the
// FileCache it used, so every descriptor is closed as it would be when the
// process dies; a power loss additionally calls faults.drop_unsynced().
// Expected contents come from a model of what the test appended, never from
// the log under test.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <random>

#include "protocol/byte_io.h"
#include "protocol/record_batch.h"
#include "storage/storage_errc.h"
#include "storage_test_util.h"

namespace strata::test {
namespace {

namespace fs = std::filesystem;
using storage::LogConfig;
using storage::Offset;
using storage::PartitionLog;

// Value size of the records add() appends when not told one.
constexpr std::size_t kValueSize = 24;

void expect_records(const std::vector<ReadRecord>& got, const Model& m, std::uint64_t from) {
  REQUIRE(from <= m.records.size());
  REQUIRE(got.size() == m.records.size() - from);
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& want = m.records[from + i];
    const bool same = got[i].offset == from + i && got[i].record.timestamp == want.timestamp &&
                      got[i].record.key == want.key && got[i].record.value == want.value;
    if (!same) {
      FAIL_CHECK("record " << from + i << " differs: got offset " << got[i].offset << " key " << got[i].record.key
                           << " ts " << got[i].record.timestamp << ", want key " << want.key << " ts "
                           << want.timestamp);
      return;
    }
  }
}

// log_end matches and every record reads back, with a large and a tiny budget.
void check_log(PartitionLog& log, const Model& m) {
  REQUIRE(log.log_start() == Offset(0));
  REQUIRE(log.log_end() == Offset(m.next()));
  for (const std::uint64_t budget : {std::uint64_t{64} * 1024, std::uint64_t{1}}) {
    CAPTURE(budget);
    expect_records(read_all_with_offsets(log, Offset(0), budget), m, 0);
  }
}

// Closes p's log; the next process opens it clean, scans nothing and reads m.
void close_and_check_clean_reopen(StorageEnv& env, const LogConfig& cfg, Proc& p, const Model& m) {
  REQUIRE_FALSE(p.log->close());
  Proc q(env, cfg);
  CHECK(q.log->recovery_report().clean_shutdown);
  CHECK(q.log->recovery_report().bytes_scanned == 0);
  check_log(*q.log, m);
}

// Reads from every offset and a timestamp lookup for every record.
void check_every_offset(PartitionLog& log, const Model& m) {
  for (std::uint64_t o = 0; o < m.next(); ++o) {
    CAPTURE(o);
    expect_records(read_all_with_offsets(log, Offset(o), 200), m, o);
    auto found = log.offset_for_timestamp(kT0 + static_cast<std::int64_t>(o));
    REQUIRE(found.has_value());
    REQUIRE(found.value().has_value());
    CHECK(found.value()->value() == o);
  }
  auto before = log.offset_for_timestamp(kT0 - 1000);
  REQUIRE(before.has_value());
  CHECK(before.value() == std::optional<Offset>(Offset(0)));
  auto after = log.offset_for_timestamp(kT0 + static_cast<std::int64_t>(m.next()));
  REQUIRE(after.has_value());
  CHECK_FALSE(after.value().has_value());
}

struct Location {
  std::uint64_t segment = 0;   // base offset of the segment holding the batch
  std::uint64_t position = 0;  // byte position of the batch in that segment
};

// Where batch j lives, from the segment files on disk and the batch sizes.
Location locate(const fs::path& dir, const Model& m, std::size_t j) {
  const auto bases = segment_bases(dir);
  auto it = std::upper_bound(bases.begin(), bases.end(), m.batches[j].first);
  REQUIRE(it != bases.begin());
  Location loc{*std::prev(it), 0};
  for (std::size_t i = 0; i < j; ++i) {
    if (m.batches[i].first >= loc.segment) loc.position += m.batches[i].size;
  }
  return loc;
}

void write_file(const fs::path& path, const std::vector<std::uint8_t>& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  REQUIRE(out.good());
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  REQUIRE(out.good());
}

bool any_event(const StorageEnv& env, const std::string& a, const std::string& b = {}) {
  return std::any_of(env.events.begin(), env.events.end(), [&](const std::string& e) {
    return e.find(a) != std::string::npos && (b.empty() || e.find(b) != std::string::npos);
  });
}

}  // namespace

// ---------------------------------------------------------------- torn tail

TEST_CASE("recovery: a torn last write is cut quietly and appends continue after it") {
  // keep = bytes of the last batch left on disk; -1 = half, -2 = all but one.
  const std::vector<long> keeps = {0, 1, 11, 12, 55, 56, -1, -2};
  for (const bool roll_before_last : {false, true}) {
    for (const long keep_spec : keeps) {
      CAPTURE(roll_before_last);
      CAPTURE(keep_spec);
      StorageEnv env;
      const LogConfig cfg = small_config(1500);
      Model m(kValueSize);
      std::uint64_t unsynced = 0;
      {
        Proc p(env, cfg);
        for (int i = 0; i < 6; ++i) add(*p.log, m, 3);
        REQUIRE_FALSE(p.log->sync());
        for (int i = 0; i < 3; ++i) unsynced += add(*p.log, m, 2).size;
        if (roll_before_last) REQUIRE_FALSE(p.log->roll());
        unsynced += add(*p.log, m, 4, 40).size;
      }  // crash
      const BatchInfo last = m.batches.back();
      REQUIRE(last.size > 57);
      const std::size_t keep = keep_spec == -1   ? static_cast<std::size_t>(last.size / 2)
                               : keep_spec == -2 ? static_cast<std::size_t>(last.size - 1)
                                                 : static_cast<std::size_t>(keep_spec);
      REQUIRE_FALSE(env.faults.tear_last_write(keep));
      m.keep_batches(m.batches.size() - 1);

      Proc p(env, cfg);
      const auto& rep = p.log->recovery_report();
      CHECK_FALSE(rep.clean_shutdown);
      CHECK_FALSE(rep.corruption_found);
      CHECK(rep.bytes_truncated == keep);
      if (keep > 0) CHECK(rep.bytes_truncated > 0);
      CHECK(rep.bytes_scanned <= unsynced);
      check_log(*p.log, m);
      // The torn bytes are gone from disk, not just hidden.
      const auto loc = locate(env.partition_dir(), m, m.batches.size() - 1);
      const std::uint64_t seg_end = loc.position + m.batches.back().size;
      const auto bases = segment_bases(env.partition_dir());
      if (bases.back() == loc.segment) {
        CHECK(fs::file_size(segment_file(env.partition_dir(), loc.segment, ".log")) == seg_end);
      } else {
        CHECK(fs::file_size(segment_file(env.partition_dir(), bases.back(), ".log")) == 0);
      }

      // Appends continue at the offset after the last whole batch.
      add(*p.log, m, 5);
      add(*p.log, m, 1);
      check_log(*p.log, m);
      close_and_check_clean_reopen(env, cfg, p, m);
    }
  }
}

TEST_CASE("recovery: a torn index write (the last write before a crash) is repaired") {
  StorageEnv env;
  const LogConfig cfg = small_config(1 << 20, 60);
  Model m(kValueSize);
  {
    Proc p(env, cfg);
    for (int i = 0; i < 4; ++i) add(*p.log, m, 2);
    REQUIRE_FALSE(p.log->sync());
    for (int i = 0; i < 5; ++i) add(*p.log, m, 2);
    REQUIRE_FALSE(p.log->roll());  // flushes the closed segment's index entries last
  }
  REQUIRE_FALSE(env.faults.tear_last_write(5));  // half an index entry
  Proc p(env, cfg);
  CHECK_FALSE(p.log->recovery_report().corruption_found);
  check_log(*p.log, m);
  check_every_offset(*p.log, m);
  add(*p.log, m, 2);
  REQUIRE_FALSE(p.log->close());
  Proc q(env, cfg);
  check_every_offset(*q.log, m);
}

// -------------------------------------------------------------- flipped bit

TEST_CASE("recovery: a flipped bit in a batch after the synced point is corruption, cut there") {
  struct Scenario {
    const char* name;
    std::size_t synced_batches;  // batches appended before the sync (0 = never synced)
  };
  for (const Scenario sc : {Scenario{"never synced", 0}, Scenario{"synced part-way", 5}}) {
    CAPTURE(sc.name);
    StorageEnv env;
    const LogConfig cfg = small_config(700);
    Model m(kValueSize);
    std::uint64_t unsynced = 0;
    {
      Proc p(env, cfg);
      for (std::size_t i = 0; i < 16; ++i) {
        if (i == sc.synced_batches && i > 0) REQUIRE_FALSE(p.log->sync());
        const auto b = add(*p.log, m, 3, 30);
        if (i >= sc.synced_batches) unsynced += b.size;
      }
      REQUIRE(p.log->segment_count() >= 4);
    }  // crash
    const fs::path dir = env.partition_dir();
    const auto bases_before = segment_bases(dir);

    // Corrupt the second batch of the segment after the one holding the
    // synced point: a complete batch in the region recovery must scan.
    const std::uint64_t synced_offset = sc.synced_batches == 0 ? 0 : m.batches[sc.synced_batches].first;
    const auto holding = std::upper_bound(bases_before.begin(), bases_before.end(), synced_offset);
    REQUIRE(holding != bases_before.end());
    const std::uint64_t victim_segment = *holding;
    REQUIRE(bases_before.back() > victim_segment);  // segments follow the cut
    std::size_t j = 0;
    while (m.batches[j].first < victim_segment) ++j;
    ++j;  // the second batch of that segment
    const Location loc = locate(dir, m, j);
    REQUIRE(loc.segment == victim_segment);
    REQUIRE(loc.position > 0);
    const std::uint64_t victim_segment_size = fs::file_size(segment_file(dir, victim_segment, ".log"));
    REQUIRE(loc.position + m.batches[j].size < victim_segment_size);  // not the tail
    const std::uint64_t flip_at =
        loc.position + protocol::batch_layout::kChecksummedFrom + (m.batches[j].size - 20) / 2;
    REQUIRE_FALSE(env.faults.flip_bit(segment_file(dir, victim_segment, ".log"), flip_at, 3));

    const std::size_t kept_batches = j;
    const std::uint64_t expected_truncated = victim_segment_size - loc.position;
    m.keep_batches(kept_batches);

    Proc p(env, cfg);
    const auto& rep = p.log->recovery_report();
    CHECK_FALSE(rep.clean_shutdown);
    CHECK(rep.corruption_found);
    CHECK(rep.bytes_truncated == expected_truncated);
    CHECK(rep.bytes_scanned <= unsynced);
    CHECK(any_event(env, "corrupt", "truncated " + std::to_string(expected_truncated) + " bytes"));
    check_log(*p.log, m);
    // Segments after the cut are gone, files and all.
    const auto bases_after = segment_bases(dir);
    CHECK(bases_after.back() == victim_segment);
    CHECK(p.log->segment_count() == bases_after.size());
    for (const auto base : bases_before) {
      if (base <= victim_segment) continue;
      for (const char* suffix : {".log", ".index", ".timeindex", ".log.deleted"}) {
        CHECK_FALSE(fs::exists(segment_file(dir, base, suffix)));
      }
    }
    CHECK(fs::file_size(segment_file(dir, victim_segment, ".log")) == loc.position);

    add(*p.log, m, 2);
    add(*p.log, m, 3);
    check_every_offset(*p.log, m);
    REQUIRE_FALSE(p.log->close());
    Proc q(env, cfg);
    CHECK_FALSE(q.log->recovery_report().corruption_found);
    check_log(*q.log, m);
  }
}

TEST_CASE("recovery: a flipped bit in the last complete batch of the active segment is corruption") {
  StorageEnv env;
  const LogConfig cfg = small_config(1 << 20);
  Model m(kValueSize);
  {
    Proc p(env, cfg);
    for (int i = 0; i < 5; ++i) add(*p.log, m, 2);
    REQUIRE_FALSE(p.log->sync());
    for (int i = 0; i < 3; ++i) add(*p.log, m, 2);
  }
  const fs::path dir = env.partition_dir();
  const std::size_t j = m.batches.size() - 1;
  const Location loc = locate(dir, m, j);
  // The magic byte: the header itself no longer decodes.
  REQUIRE_FALSE(env.faults.flip_bit(segment_file(dir, loc.segment, ".log"),
                                    loc.position + protocol::batch_layout::kMagic, 1));
  const std::uint64_t last_size = m.batches[j].size;
  m.keep_batches(j);
  Proc p(env, cfg);
  CHECK(p.log->recovery_report().corruption_found);
  CHECK(p.log->recovery_report().bytes_truncated == last_size);
  CHECK(fs::file_size(segment_file(dir, loc.segment, ".log")) == loc.position);
  check_log(*p.log, m);
}

// ------------------------------------------------------------ damaged index

namespace {

// A few closed segments with several index entries each, closed cleanly.
Model build_closed_segments(StorageEnv& env, const LogConfig& cfg) {
  Model m(kValueSize);
  Proc p(env, cfg);
  for (int i = 0; i < 18; ++i) add(*p.log, m, 1 + static_cast<std::size_t>(i % 3), 20);
  REQUIRE(p.log->segment_count() >= 3);
  REQUIRE_FALSE(p.log->close());
  return m;
}

}  // namespace

TEST_CASE("recovery: missing index files of closed segments are rebuilt") {
  const LogConfig cfg = small_config(800, 120);
  for (const int which : {0, 1, 2}) {  // .index, .timeindex, both
    CAPTURE(which);
    StorageEnv env;
    Model m = build_closed_segments(env, cfg);
    const fs::path dir = env.partition_dir();
    const auto bases = segment_bases(dir);
    for (std::size_t s = 0; s + 1 < bases.size(); ++s) {  // every closed segment
      if (which != 1) REQUIRE(fs::remove(segment_file(dir, bases[s], ".index")));
      if (which != 0) REQUIRE(fs::remove(segment_file(dir, bases[s], ".timeindex")));
    }
    Proc p(env, cfg);
    CHECK(p.log->recovery_report().clean_shutdown);
    CHECK_FALSE(p.log->recovery_report().corruption_found);
    CHECK(p.log->recovery_report().bytes_truncated == 0);
    check_log(*p.log, m);
    check_every_offset(*p.log, m);
    add(*p.log, m, 2);
    check_every_offset(*p.log, m);
  }
}

TEST_CASE("recovery: an index rebuilt at open is written back, so the next clean open scans nothing") {
  const LogConfig cfg = small_config(800, 120);
  StorageEnv env;
  Model m = build_closed_segments(env, cfg);
  const fs::path dir = env.partition_dir();
  const auto bases = segment_bases(dir);
  REQUIRE(fs::remove(segment_file(dir, bases[0], ".index")));
  REQUIRE(fs::remove(segment_file(dir, bases[0], ".timeindex")));
  {
    Proc p(env, cfg);
    CHECK(p.log->recovery_report().bytes_scanned > 0);  // the rebuild read segment 0
    check_log(*p.log, m);
    REQUIRE_FALSE(p.log->close());
  }
  Proc q(env, cfg);
  CHECK(q.log->recovery_report().clean_shutdown);
  CHECK(q.log->recovery_report().bytes_scanned == 0);
  CHECK(q.log->recovery_report().segments_recovered == 0);
  CHECK(fs::file_size(segment_file(dir, bases[0], ".index")) > 0);
  check_every_offset(*q.log, m);
}

TEST_CASE("recovery: a garbage index is rebuilt") {
  const LogConfig cfg = small_config(800, 120);
  for (const int variant : {0, 1, 2, 3}) {
    // 0: random .index of the same size; 1: random .timeindex; 2: both, with
    // sizes that are not a whole number of entries; 3: random active-segment
    // .index too.
    CAPTURE(variant);
    StorageEnv env;
    Model m = build_closed_segments(env, cfg);
    const fs::path dir = env.partition_dir();
    const auto bases = segment_bases(dir);
    std::mt19937 rng(1234u + static_cast<unsigned>(variant));
    auto garbage = [&](const fs::path& path, std::size_t extra) {
      const std::size_t n = static_cast<std::size_t>(fs::file_size(path)) + extra;
      std::vector<std::uint8_t> data(std::max<std::size_t>(n, 24));
      for (auto& b : data) b = static_cast<std::uint8_t>(rng());
      write_file(path, data);
    };
    for (std::size_t s = 0; s < bases.size(); ++s) {
      const bool active = s + 1 == bases.size();
      if (active && variant != 3) continue;
      if (variant != 1) garbage(segment_file(dir, bases[s], ".index"), variant == 2 ? 5 : 0);
      if (variant == 1 || variant == 2) garbage(segment_file(dir, bases[s], ".timeindex"), variant == 2 ? 7 : 0);
    }
    Proc p(env, cfg);
    CHECK_FALSE(p.log->recovery_report().corruption_found);
    check_log(*p.log, m);
    check_every_offset(*p.log, m);
    add(*p.log, m, 3);
    check_every_offset(*p.log, m);
    REQUIRE_FALSE(p.log->close());
    Proc q(env, cfg);
    check_every_offset(*q.log, m);
  }
}

TEST_CASE("recovery: a plausible-looking but wrong index is not trusted") {
  // index.interval.bytes = 1: every batch has an entry, so the real index is
  // known exactly from the batch sizes.
  const LogConfig cfg = small_config(1 << 20, 1);
  // 0: middle entries point at the next batch's start (real boundaries,
  //    wrong batches); 1: middle entries point 8 bytes into their batch.
  int variant = 0;
  SUBCASE("entries at the wrong batch boundaries") { variant = 0; }
  SUBCASE("entries inside batches") { variant = 1; }
  {
    StorageEnv env;
    Model m(kValueSize);
    {
      Proc p(env, cfg);
      for (int i = 0; i < 8; ++i) add(*p.log, m, 2, 20);
      REQUIRE_FALSE(p.log->roll());
      for (int i = 0; i < 3; ++i) add(*p.log, m, 2, 20);
      REQUIRE_FALSE(p.log->close());
    }
    const fs::path dir = env.partition_dir();
    const std::size_t n = 8;  // batches in the closed segment 0
    REQUIRE(fs::file_size(segment_file(dir, 0, ".index")) == n * 8);
    std::vector<std::uint32_t> pos(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) pos[i + 1] = pos[i] + static_cast<std::uint32_t>(m.batches[i].size);
    REQUIRE(fs::file_size(segment_file(dir, 0, ".log")) == pos[n]);

    std::vector<std::uint8_t> index;
    std::vector<std::uint8_t> timeindex;
    auto entry = [&](std::size_t batch, std::uint32_t position) {
      const auto rel = static_cast<std::uint32_t>(m.batches[batch].first);
      const std::int64_t max_ts = kT0 + static_cast<std::int64_t>(m.batches[batch].first + m.batches[batch].count - 1);
      std::uint8_t e[8];
      protocol::store_le(e, rel);
      protocol::store_le(e + 4, position);
      index.insert(index.end(), e, e + 8);
      std::uint8_t t[12];
      protocol::store_le(t, max_ts);
      protocol::store_le(t + 8, rel);
      timeindex.insert(timeindex.end(), t, t + 12);
    };
    entry(0, 0);
    if (variant == 0) {
      for (std::size_t b = 1; b + 2 < n; ++b) entry(b, pos[b + 1]);
    } else {
      for (std::size_t b = 1; b + 1 < n; ++b) entry(b, pos[b] + 8);
    }
    entry(n - 1, pos[n - 1]);  // the last entry is right
    write_file(segment_file(dir, 0, ".index"), index);
    write_file(segment_file(dir, 0, ".timeindex"), timeindex);

    Proc p(env, cfg);
    check_log(*p.log, m);
    check_every_offset(*p.log, m);
  }
}

// ------------------------------------------------------------- power loss

TEST_CASE("recovery: after a power loss exactly the synced batches remain") {
  struct Scenario {
    const char* name;
    std::uint64_t segment_bytes;
    std::size_t synced;    // batches before the sync
    std::size_t unsynced;  // batches after it
    bool roll_synced;      // the synced part spans several segments
    bool roll_unsynced;    // the unsynced part creates segments
  };
  const Scenario scenarios[] = {
      {"one segment", 1 << 20, 6, 5, false, false},
      {"rolls in the synced part", 600, 14, 2, true, false},
      {"rolls in the unsynced part", 600, 3, 14, false, true},
      {"rolls in both parts", 600, 12, 12, true, true},
  };
  for (const auto& sc : scenarios) {
    CAPTURE(sc.name);
    StorageEnv env;
    const LogConfig cfg = small_config(sc.segment_bytes);
    Model m(kValueSize);
    {
      Proc p(env, cfg);
      for (std::size_t i = 0; i < sc.synced; ++i) add(*p.log, m, 1 + i % 4, 30);
      REQUIRE_FALSE(p.log->sync());
      CHECK(p.log->durable_end() == p.log->log_end());
      const std::size_t segments_at_sync = p.log->segment_count();
      CHECK((segments_at_sync > 1) == sc.roll_synced);
      for (std::size_t i = 0; i < sc.unsynced; ++i) add(*p.log, m, 1 + i % 3, 30);
      CHECK((p.log->segment_count() > segments_at_sync) == sc.roll_unsynced);
      CHECK(p.log->durable_end() < p.log->log_end());
    }  // crash
    REQUIRE_FALSE(env.faults.drop_unsynced());
    m.keep_batches(sc.synced);

    Proc p(env, cfg);
    const auto& rep = p.log->recovery_report();
    CHECK_FALSE(rep.clean_shutdown);
    CHECK_FALSE(rep.corruption_found);
    CHECK(p.log->log_end() == Offset(m.next()));
    check_log(*p.log, m);
    check_every_offset(*p.log, m);
    // Nothing follows the synced end on disk either.
    std::uint64_t on_disk = 0;
    for (const auto base : segment_bases(env.partition_dir())) {
      on_disk += fs::file_size(segment_file(env.partition_dir(), base, ".log"));
    }
    CHECK(on_disk == m.bytes());

    for (int i = 0; i < 4; ++i) add(*p.log, m, 2, 30);
    check_log(*p.log, m);
    REQUIRE_FALSE(p.log->sync());
    p.log.reset();  // and another power loss: the new appends were synced
    REQUIRE_FALSE(env.faults.drop_unsynced());
    Proc q(env, cfg);
    check_log(*q.log, m);
  }
}

TEST_CASE("recovery: repeated crashes, with and without power loss, keep a consistent prefix") {
  for (unsigned seed = 1; seed <= 8; ++seed) {
    CAPTURE(seed);
    StorageEnv env;
    const LogConfig cfg = small_config(900, 150);
    std::mt19937 rng(seed);
    Model m(kValueSize);
    std::size_t synced_batches = 0;
    std::string trace;  // what happened so far, shown on failure
    for (int round = 0; round < 25; ++round) {
      CAPTURE(round);
      CAPTURE(trace);
      const bool power_loss = rng() % 2 == 0;
      {
        Proc p(env, cfg);
        CHECK_FALSE(p.log->recovery_report().corruption_found);
        check_log(*p.log, m);
        trace += " | open(end " + std::to_string(m.next()) + ", segs " +
                 std::to_string(p.log->segment_count()) + ")";
        const int appends = static_cast<int>(rng() % 9);
        for (int i = 0; i < appends; ++i) {
          const std::size_t count = 1 + rng() % 4;
          const std::size_t value_size = rng() % 80;
          const auto segments = p.log->segment_count();
          add(*p.log, m, count, value_size);
          trace += p.log->segment_count() > segments ? " roll+append" : " append";
          if (rng() % 4 == 0) {
            REQUIRE_FALSE(p.log->sync());
            synced_batches = m.batches.size();
            trace += " sync";
          }
        }
        if (rng() % 5 == 0) {
          REQUIRE_FALSE(p.log->close());
          synced_batches = m.batches.size();
          trace += " close";
        }
      }
      trace += power_loss ? " | power loss" : " | crash";
      if (power_loss) {
        REQUIRE_FALSE(env.faults.drop_unsynced());
        m.keep_batches(synced_batches);
      }
      // A process crash keeps every appended batch (the page cache survives);
      // they count as synced once a later sync or close covers them.
    }
    Proc p(env, cfg);
    check_log(*p.log, m);
    check_every_offset(*p.log, m);
  }
}

TEST_CASE("recovery: a sync after recovery makes segments the crashed process created durable") {
  // The crashed process rolled but never synced, so the new segment's
  // directory entry was never synced; the process after it recovers the
  // segment, syncs, and the data must then survive a power loss.
  StorageEnv env;
  const LogConfig cfg = small_config(1 << 20);
  Model m(kValueSize);
  {
    Proc p(env, cfg);
    for (int i = 0; i < 3; ++i) add(*p.log, m, 2);
    REQUIRE_FALSE(p.log->sync());
    REQUIRE_FALSE(p.log->roll());
    for (int i = 0; i < 3; ++i) add(*p.log, m, 2);
    REQUIRE(p.log->segment_count() == 2);
  }  // process crash: the page cache keeps everything
  {
    Proc p(env, cfg);
    check_log(*p.log, m);
    std::optional<std::error_code> acked;
    p.log->wait_durable(p.log->log_end(), [&](std::error_code ec) { acked = ec; });
    REQUIRE_FALSE(p.log->sync());
    REQUIRE(acked.has_value());
    REQUIRE_FALSE(*acked);  // told durable
    CHECK(p.log->durable_end() == Offset(m.next()));
  }
  REQUIRE_FALSE(env.faults.drop_unsynced());
  Proc p(env, cfg);
  check_log(*p.log, m);
}

// ----------------------------------------------------------- bounded scans

TEST_CASE("recovery: a clean reopen scans nothing and a crash scans only the unsynced tail") {
  StorageEnv env;
  const LogConfig cfg = small_config(700);
  Model m(kValueSize);
  {
    Proc p(env, cfg);
    for (int i = 0; i < 20; ++i) add(*p.log, m, 2, 30);
    REQUIRE(p.log->segment_count() >= 3);
    REQUIRE_FALSE(p.log->close());
  }
  std::uint64_t unsynced = 0;
  {
    Proc p(env, cfg);
    const auto& rep = p.log->recovery_report();
    CHECK(rep.clean_shutdown);
    CHECK(rep.bytes_scanned == 0);
    CHECK(rep.segments_recovered == 0);
    CHECK(rep.bytes_truncated == 0);
    check_log(*p.log, m);
    for (int i = 0; i < 7; ++i) add(*p.log, m, 2, 30);
    REQUIRE_FALSE(p.log->sync());
    for (int i = 0; i < 9; ++i) unsynced += add(*p.log, m, 2, 30).size;  // rolls at least once
  }  // crash (process only: the page cache keeps the unsynced bytes)
  REQUIRE(unsynced > 0);
  {
    Proc p(env, cfg);
    const auto& rep = p.log->recovery_report();
    CHECK_FALSE(rep.clean_shutdown);
    CHECK(rep.bytes_scanned <= unsynced);
    CHECK(rep.bytes_scanned < m.bytes() / 2);
    CHECK(rep.bytes_truncated == 0);
    check_log(*p.log, m);
    CHECK(p.log->durable_end() <= p.log->log_end());
    REQUIRE_FALSE(p.log->close());
  }
  Proc p(env, cfg);
  CHECK(p.log->recovery_report().bytes_scanned == 0);
  check_log(*p.log, m);
}

TEST_CASE("recovery: after a power loss following a sync, recovery scans at most the unsynced bytes") {
  StorageEnv env;
  const LogConfig cfg = small_config(700);
  Model m(kValueSize);
  std::uint64_t unsynced = 0;
  {
    Proc p(env, cfg);
    for (int i = 0; i < 20; ++i) add(*p.log, m, 2, 30);
    REQUIRE_FALSE(p.log->sync());
    for (int i = 0; i < 3; ++i) unsynced += add(*p.log, m, 2, 30).size;
  }
  REQUIRE_FALSE(env.faults.drop_unsynced());
  m.keep_batches(20);
  CHECK(fs::exists(env.partition_dir() / "checkpoint"));  // the recovery point survived
  Proc p(env, cfg);
  CHECK(p.log->recovery_report().bytes_scanned <= unsynced);
  check_log(*p.log, m);
}

// -------------------------------------------------------------- checkpoint

TEST_CASE("recovery: a missing or garbage checkpoint falls back to a full scan") {
  const LogConfig cfg = small_config(700);
  for (const int variant : {0, 1, 2, 3}) {
    // 0: missing after a clean close; 1: random bytes after a clean close;
    // 2: right size, one bit flipped, after a crash; 3: cut short after a crash.
    CAPTURE(variant);
    StorageEnv env;
    Model m(kValueSize);
    const bool clean = variant < 2;
    {
      Proc p(env, cfg);
      for (int i = 0; i < 14; ++i) add(*p.log, m, 2, 30);
      REQUIRE_FALSE(p.log->sync());
      for (int i = 0; i < 3; ++i) add(*p.log, m, 1, 30);
      if (clean) REQUIRE_FALSE(p.log->close());
    }
    const fs::path cp = env.partition_dir() / "checkpoint";
    REQUIRE(fs::exists(cp));
    const auto cp_size = static_cast<std::size_t>(fs::file_size(cp));
    std::mt19937 rng(99u + static_cast<unsigned>(variant));
    if (variant == 0) {
      REQUIRE(fs::remove(cp));
    } else if (variant == 1) {
      std::vector<std::uint8_t> data(cp_size);
      for (auto& b : data) b = static_cast<std::uint8_t>(rng());
      write_file(cp, data);
    } else if (variant == 2) {
      REQUIRE_FALSE(env.faults.flip_bit(cp, 20, 0));
    } else {
      std::ifstream in(cp, std::ios::binary);
      std::vector<std::uint8_t> data(cp_size);
      in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size()));
      data.resize(cp_size / 2);
      write_file(cp, data);
    }
    Proc p(env, cfg);
    const auto& rep = p.log->recovery_report();
    CHECK_FALSE(rep.clean_shutdown);
    CHECK_FALSE(rep.corruption_found);
    CHECK(rep.bytes_scanned == m.bytes());  // every segment scanned from its start
    CHECK(rep.segments_recovered == p.log->segment_count());
    check_log(*p.log, m);
    check_every_offset(*p.log, m);
    add(*p.log, m, 3);
    check_log(*p.log, m);
    close_and_check_clean_reopen(env, cfg, p, m);
  }
}

}  // namespace strata::test
