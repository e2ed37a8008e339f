// Out of descriptors is not a disk failure: a sync that fails with EMFILE or
// ENFILE (opening a file or directory to sync it) fails its waiters with that
// error, and the partition stays writable; a later sync succeeds. Before,
// the checkpoint's and the directory's syncs counted EMFILE as a failed
// fsync: "fsync failed (Too many open files); partition is now read-only".
#include <doctest/doctest.h>

#include <optional>
#include <system_error>

#include "durability_test_util.h"

namespace strata::test::durability {

TEST_CASE("durability: EMFILE or ENFILE in a sync fails its waiters and leaves the partition writable") {
  std::errc error = std::errc::too_many_files_open;
  SUBCASE("EMFILE") { error = std::errc::too_many_files_open; }
  SUBCASE("ENFILE") { error = std::errc::too_many_files_open_in_system; }
  StorageEnv env;
  Model m;
  Proc p(env, small_config(700));
  PartitionLog& log = *p.log;
  // Enough appends to roll: the sync then writes a checkpoint and syncs the
  // directory too, each of which opens a descriptor.
  for (int i = 0; i < 12; ++i) add(log, m, 2, 30);
  REQUIRE(log.segment_count() > 1);
  env.faults.fail_next_sync(error);
  std::optional<std::error_code> waited;
  log.wait_durable(log.log_end(), [&](std::error_code ec) { waited = ec; });
  CHECK(log.sync() == std::make_error_code(error));
  REQUIRE(waited.has_value());
  CHECK(*waited == std::make_error_code(error));
  CHECK_FALSE(log.read_only_reason());
  add(log, m, 2, 30);  // still writable
  CHECK_FALSE(log.sync());
  CHECK(log.durable_end() == log.log_end());
  check_log(log, m);
}

}  // namespace strata::test::durability
