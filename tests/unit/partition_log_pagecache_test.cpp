// pagecache.keep.bytes: after a sync, synced log data more than the kept
// tail behind the log end leaves the page cache; the tail stays. Residency
// is read with mincore(2) on the real segment files.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>

#include "partition_log_test_util.h"
#include "tests/support/page_cache.h"

namespace strata::test::plog {
namespace {

constexpr std::uint64_t kMiB = 1 << 20;

// Appends ~bytes of batches of 16 records with 4 KiB values; returns the ids written.
std::uint64_t append_about(st::PartitionLog& log, std::uint64_t first_id, std::uint64_t bytes) {
  std::uint64_t id = first_id;
  const std::uint64_t start = log.size_bytes();
  while (log.size_bytes() - start < bytes) {
    auto batch = tu::make_batch(id, 16, kT0, 4096);
    (void)tu::append_bytes(log, batch);
    id += 16;
  }
  return id;
}

st::LogConfig keep_config(std::uint64_t segment_bytes, std::int64_t keep) {
  auto c = tu::small_config(segment_bytes, 4096);
  c.pagecache_keep_bytes = keep;
  return c;
}

}  // namespace

TEST_SUITE("partition_log") {

TEST_CASE("pagecache.keep.bytes drops synced data behind the kept tail, in one segment and across syncs") {
  tu::StorageEnv env;
  if (on_tmpfs(env.dir.path())) {
    MESSAGE("skipped: tmpfs keeps its pages whatever the advice");
    return;
  }
  auto log = env.open(keep_config(64 * kMiB, static_cast<std::int64_t>(kMiB)));
  std::uint64_t ids = append_about(*log, 0, 3 * kMiB);
  REQUIRE(log->sync() == std::error_code{});
  const auto path = segment_file(env.partition_dir(), 0, ".log");
  std::uint64_t size = log->size_bytes();
  auto pages = resident_pages(path);
  const auto dropped = resident_in(pages, 0, size - kMiB);
  const auto kept = resident_in(pages, size - kMiB, size);
  CHECK(dropped.total > 400);
  CHECK(dropped.resident == 0);
  CHECK(kept.total > 200);
  CHECK(kept.resident == kept.total);

  // A second sync drops what the first kept and is now behind the tail:
  // the range starts where the last one ended.
  ids = append_about(*log, ids, 2 * kMiB);
  REQUIRE(log->sync() == std::error_code{});
  size = log->size_bytes();
  pages = resident_pages(path);
  CHECK(resident_in(pages, 0, size - kMiB).resident == 0);
  const auto kept2 = resident_in(pages, size - kMiB, size);
  CHECK(kept2.resident == kept2.total);

  // Dropping is only advice: every record still reads back.
  CHECK(tu::read_all(*log, st::Offset(0), 1 << 20).size() == ids);

  // A larger keep later: the next sync drops nothing of the longer tail,
  // including the page where the last drop ended.
  auto bigger = log->config();
  bigger.pagecache_keep_bytes = static_cast<std::int64_t>(8 * kMiB);
  REQUIRE(log->set_config(bigger) == std::error_code{});
  const std::uint64_t old_end = size - kMiB;
  REQUIRE(old_end % kPageBytes != 0);
  (void)append_about(*log, ids, 64 * 1024);
  REQUIRE(log->sync() == std::error_code{});
  pages = resident_pages(path);
  CHECK(pages.at(old_end / kPageBytes));
  const auto tail = resident_in(pages, old_end, log->size_bytes());
  CHECK(tail.resident == tail.total);
}

TEST_CASE("pagecache.keep.bytes counts the kept tail across segments, and -1 keeps everything") {
  tu::StorageEnv env;
  if (on_tmpfs(env.dir.path())) {
    MESSAGE("skipped: tmpfs keeps its pages whatever the advice");
    return;
  }
  const std::uint64_t keep = 3 * kMiB / 2;
  auto log = env.open(keep_config(kMiB, static_cast<std::int64_t>(keep)));
  (void)append_about(*log, 0, 5 * kMiB);
  REQUIRE(log->sync() == std::error_code{});
  const auto bases = segment_bases(env.partition_dir());
  REQUIRE(bases.size() >= 5);
  // Walk newest first: each segment keeps what is left of the tail.
  std::uint64_t left = keep;
  for (auto it = bases.rbegin(); it != bases.rend(); ++it) {
    const auto path = segment_file(env.partition_dir(), *it, ".log");
    const std::uint64_t size = sfs::file_size(path);
    const std::uint64_t kept_bytes = std::min(left, size);
    left -= kept_bytes;
    const auto pages = resident_pages(path);
    CAPTURE(*it);
    CHECK(resident_in(pages, 0, size - kept_bytes).resident == 0);
    const auto kept = resident_in(pages, size - kept_bytes, size);
    CHECK(kept.resident == kept.total);
  }
  CHECK(left == 0);

  tu::StorageEnv env2;
  auto all = env2.open(keep_config(kMiB, -1));
  (void)append_about(*all, 0, 3 * kMiB);
  REQUIRE(all->sync() == std::error_code{});
  for (auto base : segment_bases(env2.partition_dir())) {
    const auto path = segment_file(env2.partition_dir(), base, ".log");
    const auto pages = resident_pages(path);
    const auto r = resident_in(pages, 0, sfs::file_size(path));
    CAPTURE(base);
    CHECK(r.resident == r.total);
  }
}

TEST_CASE("pagecache.keep.bytes asks for an early sync once max(keep, 16 MiB) is appended since the last one") {
  tu::StorageEnv env;
  constexpr std::uint64_t kMin = st::PartitionLog::kMinCacheDropSync;
  auto small = env.open(keep_config(64 * kMiB, static_cast<std::int64_t>(kMiB)));
  std::uint64_t ids = append_about(*small, 0, kMin - 256 * 1024);
  CHECK_FALSE(small->cache_drop_due());
  ids = append_about(*small, ids, 256 * 1024);
  CHECK(small->cache_drop_due());
  // A sync in flight covers it; once it started, counting starts again.
  auto ticket = small->begin_sync();
  REQUIRE(ticket.has_value());
  CHECK_FALSE(small->cache_drop_due());
  ids = append_about(*small, ids, kMin);
  CHECK_FALSE(small->cache_drop_due());  // still in flight
  REQUIRE(ticket->run() == std::error_code{});
  (void)small->complete_sync(*ticket, {});
  CHECK(small->cache_drop_due());

  // A keep above the minimum is the threshold itself.
  tu::StorageEnv env2;
  auto big = env2.open(keep_config(128 * kMiB, static_cast<std::int64_t>(2 * kMin)));
  (void)append_about(*big, 0, kMin + kMiB);
  CHECK_FALSE(big->cache_drop_due());
  (void)append_about(*big, 0, kMin);
  CHECK(big->cache_drop_due());

  // -1: never.
  tu::StorageEnv env3;
  auto all = env3.open(keep_config(128 * kMiB, -1));
  (void)append_about(*all, 0, 2 * kMin);
  CHECK_FALSE(all->cache_drop_due());
}

}  // TEST_SUITE

}  // namespace strata::test::plog
