// Crash recovery of a flipped bit (DESIGN decisions 3 and 7): a corrupt
// batch in the region recovery scans is corruption; the log is cut there,
// the segments after it go, and appends continue.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "protocol/record_batch.h"
#include "recovery_test_util.h"

namespace strata::test::recovery {
namespace {

bool any_event(const StorageEnv& env, const std::string& a, const std::string& b = {}) {
  return std::any_of(env.events.begin(), env.events.end(), [&](const std::string& e) {
    return e.find(a) != std::string::npos && (b.empty() || e.find(b) != std::string::npos);
  });
}

}  // namespace

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
        loc.position + protocol::batch_layout::kCrcFrom + (m.batches[j].size - protocol::batch_layout::kCrcFrom) / 2;
    REQUIRE_FALSE(env.faults.flip_bit(segment_file(dir, victim_segment, ".log"), flip_at, 3));

    // A power loss can also lose a later segment's index entry (created
    // after the directory sync began): removing that segment must not
    // need it (it once failed the open, ENOENT, and with it the broker).
    fs::remove(segment_file(dir, bases_before.back(), ".timeindex"));

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

}  // namespace strata::test::recovery
