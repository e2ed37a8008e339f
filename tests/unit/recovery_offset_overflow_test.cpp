// Recovery of batches whose offsets would run past the largest u64 (found by
// tests/fuzz/fuzz_segment_recovery, reproducer
// tests/fuzz/corpus/segment_recovery/crash-offset-overflow-hang). Such a
// batch is damage: kept, it wrapped log_end below the segment base and
// close() then synced forever waiting for durable_end to reach it.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "recovery_test_util.h"

namespace strata::test::recovery {

TEST_CASE("recovery: a batch whose offsets run past the largest u64 is truncated as corruption") {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  StorageEnv env;
  const fs::path dir = env.partition_dir();
  fs::create_directories(dir);
  // Segment base kMax - 2: a 2-record batch ends at kMax (fits), the
  // 2-record batch after it would need offsets kMax and kMax + 1.
  std::vector<std::uint8_t> first = make_batch(0, 2, kT0);
  std::vector<std::uint8_t> second = make_batch(2, 2, kT0);
  protocol::stamp_base_offset(first, kMax - 2);
  protocol::stamp_base_offset(second, kMax);
  std::vector<std::uint8_t> log = first;
  log.insert(log.end(), second.begin(), second.end());
  write_file(segment_file(dir, kMax - 2, ".log"), log);

  auto opened = PartitionLog::open(dir, env.cache, env.options(small_config()));
  REQUIRE(opened);
  PartitionLog& p = *opened.value();
  const auto& rep = p.recovery_report();
  CHECK(rep.corruption_found);
  CHECK(rep.bytes_truncated == second.size());
  CHECK(p.log_start() == Offset(kMax - 2));
  REQUIRE(p.log_end() == Offset(kMax));  // before close(), which looped forever on a wrapped log_end
  const auto records = read_all(p, Offset(kMax - 2));
  REQUIRE(records.size() == 2);
  CHECK(records[0].key == key_for(0));
  CHECK(records[1].key == key_for(1));
  CHECK_FALSE(p.close());
}

}  // namespace strata::test::recovery
