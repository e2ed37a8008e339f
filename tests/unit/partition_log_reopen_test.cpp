// Closing and reopening a partition log: a closed log refuses work, and a
// clean reopen keeps every offset and record, scans nothing, and appends
// continue in the same size-roll pattern.
#include <doctest/doctest.h>

#include <cstdint>

#include "partition_log_test_util.h"
#include "storage/storage_errc.h"

namespace strata::test::plog {

TEST_SUITE("partition_log") {

TEST_CASE("reopen after close keeps offsets and data and scans nothing") {
  tu::StorageEnv env;
  const auto cfg = tu::small_config(1500, 256);
  auto log = env.open(cfg);
  LogModel model = fill(*log, cfg.segment_bytes, 60);
  const auto segments = log->segment_count();
  const auto size = log->size_bytes();
  REQUIRE(segments >= 5);
  REQUIRE_FALSE(log->close());
  // A closed log refuses work.
  auto closed_read = log->read(st::Offset(0), 100);
  REQUIRE_FALSE(closed_read.has_value());
  CHECK(closed_read.error() == make_error_code(st::StorageErrc::closed));
  auto closed_bytes = tu::make_batch(1, 1, kT0);
  tu::check_append_fails(*log, closed_bytes, make_error_code(st::StorageErrc::closed));
  auto closed_ts = log->offset_for_timestamp(kT0);
  REQUIRE_FALSE(closed_ts.has_value());
  CHECK(closed_ts.error() == make_error_code(st::StorageErrc::closed));
  CHECK_FALSE(log->close());  // closing twice is harmless
  log.reset();

  log = env.open(cfg);
  const auto& rep = log->recovery_report();
  CHECK(rep.clean_shutdown);
  CHECK(rep.bytes_scanned == 0);
  CHECK(rep.segments_recovered == 0);
  CHECK(rep.bytes_truncated == 0);
  CHECK_FALSE(rep.corruption_found);
  CHECK(rep.segments == segments);
  CHECK(log->log_start() == st::Offset(0));
  CHECK(log->log_end() == st::Offset(model.end()));
  CHECK(log->segment_count() == segments);
  CHECK(log->size_bytes() == size);
  check_every_offset(*log, model, env.partition_dir(), 1);
  check_every_offset(*log, model, env.partition_dir(), 1 << 20);

  // Appends continue where the log ended, in the same size-roll pattern.
  std::uint64_t id = 90000;
  for (int b = 0; b < 15; ++b) {
    append_checked(*log, model, build_batch(id, 3, kT0 + 10000 + b, 30));
    id += 3;
  }
  CHECK(log->segment_count() == model.segments().size());

  // Closes the log and opens it again: clean, nothing scanned, nothing lost.
  auto close_and_reopen = [&] {
    REQUIRE_FALSE(log->close());
    log.reset();
    log = env.open(cfg);
    CHECK(log->recovery_report().clean_shutdown);
    CHECK(log->recovery_report().bytes_scanned == 0);
    CHECK(log->log_end() == st::Offset(model.end()));
  };
  close_and_reopen();
  check_disk_matches_model(env.partition_dir(), model, cfg.segment_bytes);
  check_every_offset(*log, model, env.partition_dir(), 500);

  // Closing again without writes keeps it clean.
  close_and_reopen();
}

}  // TEST_SUITE

}  // namespace strata::test::plog
