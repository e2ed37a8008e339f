// Crash recovery after a power loss (DESIGN decisions 3 and 7): exactly
// the synced batches remain, repeated crashes keep a consistent prefix, and
// a sync after recovery makes what the crashed process wrote durable.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <system_error>

#include "recovery_test_util.h"

namespace strata::test::recovery {

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

}  // namespace strata::test::recovery
