// Crash recovery of a torn write (DESIGN decisions 3 and 7): a torn last
// batch is cut quietly and appends continue after it; a torn index write is
// repaired.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "recovery_test_util.h"

namespace strata::test::recovery {

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

}  // namespace strata::test::recovery
