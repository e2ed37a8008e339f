// A full disk (ENOSPC): a failed append leaves the log unchanged and the
// next append takes its offset; close() fails until space is back.
#include <doctest/doctest.h>

#include <ios>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <system_error>

#include "durability_test_util.h"
#include "storage/checkpoint.h"

namespace strata::test::durability {
namespace {

std::uint64_t log_file_bytes(const fs::path& dir) {
  std::uint64_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".log") n += fs::file_size(e.path());
  }
  return n;
}

}  // namespace

TEST_CASE("durability: ENOSPC on append leaves the log unchanged and the next append takes the offset") {
  StorageEnv env;
  const LogConfig cfg = small_config(700);  // small: some attempts land on a roll
  const auto enospc = std::make_error_code(std::errc::no_space_on_device);
  Model m;
  {
    Proc p(env, cfg);
    PartitionLog& log = *p.log;
    for (int i = 0; i < 3; ++i) add(log, m, 2);
    auto attempt_fails = [&](std::size_t count) {
      const auto end = log.log_end();
      const auto size = log.size_bytes();
      const auto on_disk = log_file_bytes(env.partition_dir());
      auto bytes = batch_for(m, count, 30);
      check_append_fails(log, bytes, enospc);
      CHECK(log.log_end() == end);
      CHECK(log.size_bytes() == size);
      CHECK(log_file_bytes(env.partition_dir()) == on_disk);
    };
    SUBCASE("the next write fails once, before every append") {
      for (int i = 0; i < 16; ++i) {
        CAPTURE(i);
        env.faults.fail_next_write(std::errc::no_space_on_device);
        attempt_fails(2);
        check_log(log, m);
        add(log, m, 2, 30);  // same offset the failed one would have had
      }
      CHECK(log.segment_count() > 2);
    }
    SUBCASE("the disk stays full for a while") {
      env.faults.set_write_error(std::errc::no_space_on_device);
      for (int i = 0; i < 12; ++i) attempt_fails(1 + static_cast<std::size_t>(i % 3));
      check_log(log, m);
      env.faults.set_write_error(std::nullopt);
      for (int i = 0; i < 8; ++i) add(log, m, 2, 30);
      CHECK(log.segment_count() > 1);
    }
    check_log(log, m);
    check_every_offset(log, m);
    REQUIRE_FALSE(log.sync());
  }  // crash after a sync
  REQUIRE_FALSE(env.faults.drop_unsynced());
  {
    Proc p(env, cfg);
    CHECK_FALSE(p.log->recovery_report().corruption_found);
    CHECK(p.log->recovery_report().bytes_truncated == 0);
    check_log(*p.log, m);
    check_every_offset(*p.log, m);
    REQUIRE_FALSE(p.log->close());
  }
  Proc p(env, cfg);
  CHECK(p.log->recovery_report().clean_shutdown);
  check_every_offset(*p.log, m);
}

TEST_CASE("durability: close() on a full disk fails, and succeeds once space is back") {
  StorageEnv env;
  const LogConfig cfg = small_config(700);
  Model m;
  {
    Proc p(env, cfg);
    for (int i = 0; i < 9; ++i) add(*p.log, m, 2, 30);  // pending index entries
    env.faults.set_write_error(std::errc::no_space_on_device);
    const auto first = p.log->close();
    CAPTURE(first.message());
    if (first) {
      CHECK(p.cache.size() == 0);  // a log given up now pins no unlinked file
      CHECK_FALSE(fs::exists(env.partition_dir() / storage::kCleanShutdownFile));
      check_log(*p.log, m);  // still open and readable
    }
    env.faults.set_write_error(std::nullopt);
    REQUIRE_FALSE(p.log->close());
  }
  Proc p(env, cfg);
  CHECK(p.log->recovery_report().clean_shutdown);
  CHECK_FALSE(p.log->recovery_report().corruption_found);
  check_log(*p.log, m);
  check_every_offset(*p.log, m);
}

}  // namespace strata::test::durability

namespace strata::test::durability {

TEST_CASE("durability: a checkpoint that cannot be written on a full disk does not make the log read-only") {
  StorageEnv env;
  const LogConfig cfg = small_config(700);
  Model m;
  Proc p(env, cfg);
  PartitionLog& log = *p.log;
  for (int i = 0; i < 6; ++i) add(log, m, 2, 30);  // rolls: the next sync writes a checkpoint
  REQUIRE(log.segment_count() > 1);
  env.faults.set_write_error(std::errc::no_space_on_device);
  const auto failed = log.sync();  // every fsync works; only the checkpoint's write fails
  env.faults.set_write_error(std::nullopt);
  CHECK(failed == std::errc::no_space_on_device);
  // Nothing was lost, so once space is back the log appends and syncs again.
  add(log, m, 2, 30);
  CHECK_FALSE(log.sync());
  check_log(log, m);
  check_every_offset(log, m);
}

}  // namespace strata::test::durability

TEST_CASE("durability: is_disk_full knows ENOSPC and EDQUOT, and only as system errors") {
  CHECK(strata::storage::is_disk_full(std::make_error_code(std::errc::no_space_on_device)));
  CHECK(strata::storage::is_disk_full(std::error_code(EDQUOT, std::system_category())));
  CHECK_FALSE(strata::storage::is_disk_full(std::error_code(EIO, std::system_category())));
  // Another module's code whose value equals EDQUOT is not a full disk.
  CHECK_FALSE(strata::storage::is_disk_full(std::error_code(EDQUOT, std::iostream_category())));
  CHECK_FALSE(strata::storage::is_disk_full(strata::storage::StorageErrc::corruption));
}
