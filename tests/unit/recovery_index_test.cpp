// Crash recovery of damaged indexes (DESIGN decisions 3 and 7): missing,
// garbage and plausible-looking but wrong .index and .timeindex files are
// never trusted; they are rebuilt, and written back for the next open.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "protocol/byte_io.h"
#include "recovery_test_util.h"

namespace strata::test::recovery {
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

}  // namespace strata::test::recovery
