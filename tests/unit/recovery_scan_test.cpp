// How much crash recovery scans (DESIGN decisions 3 and 7): nothing after a
// clean close, at most the unsynced tail after a crash or a power loss, and
// everything when the checkpoint that bounds the scan is missing or garbage.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <random>
#include <vector>

#include "recovery_test_util.h"

namespace strata::test::recovery {

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

}  // namespace strata::test::recovery
