// Directory syncs: the directory entry of a new segment (or of a new
// partition's first one) is synced before a durable ack, so the segment
// survives a power loss.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <system_error>

#include "durability_test_util.h"

namespace strata::test::durability {

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

}  // namespace strata::test::durability
