// Segment rolls: by size (an oversize batch gets a segment of its own), by
// time with segment.ms, and on request; and the 20-digit base-offset names
// of the segment files.
#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "partition_log_test_util.h"

namespace strata::test::plog {

TEST_SUITE("partition_log") {

TEST_CASE("segments roll by size, an oversize batch gets a segment of its own") {
  tu::StorageEnv env;
  const std::uint64_t segment_bytes = 600;
  auto log = env.open(tu::small_config(segment_bytes, 128));
  LogModel model(segment_bytes);
  std::uint64_t id = 0;
  std::size_t prev_segments = 1;
  for (int b = 0; b < 40; ++b) {
    const bool oversize = b % 9 == 4;
    auto batch = oversize ? build_batch(id, 3, kT0 + b, 400) : build_batch(id, 1 + static_cast<std::size_t>(b % 7), kT0 + b, 8);
    if (oversize) REQUIRE(batch.bytes.size() > segment_bytes);
    const auto count = batch.records.size();
    append_checked(*log, model, std::move(batch));
    id += count;
    CHECK(log->segment_count() == model.segments().size());
    CHECK(log->segment_count() >= prev_segments);
    prev_segments = log->segment_count();
    if (oversize) {
      // It went into a segment that was empty before it.
      CHECK(model.segments().back().batches == 1);
      CHECK(log->log_end() == st::Offset(model.end()));
    }
  }
  CHECK(model.segments().size() >= 10);
  check_disk_matches_model(env.partition_dir(), model, segment_bytes);
  CHECK(log->size_bytes() == [&] {
    std::uint64_t total = 0;
    for (const auto& s : model.segments()) total += s.size;
    return total;
  }());
  check_every_offset(*log, model, env.partition_dir(), 1);
  check_every_offset(*log, model, env.partition_dir(), 1 << 20);

  // An oversize batch into a brand-new, empty log: no roll, it stays in segment 0.
  tu::StorageEnv env2;
  auto log2 = env2.open(tu::small_config(100, 128));
  auto big = build_batch(0, 2, kT0, 300);
  REQUIRE(big.bytes.size() > 100);
  const auto res = tu::append_bytes(*log2, big.bytes);
  CHECK(res.base == st::Offset(0));
  CHECK(log2->segment_count() == 1);
  CHECK(segment_bases(env2.partition_dir()) == std::vector<std::uint64_t>{0});
}

TEST_CASE("segment files are named by 20-digit base offset with .log, .index and .timeindex") {
  tu::StorageEnv env;
  auto log = env.open(tu::small_config(700, 128));
  const LogModel model = fill(*log, 700, 40);
  REQUIRE(model.segments().size() >= 5);
  std::set<std::string> expected;
  for (auto base : model.segment_bases()) {
    for (const char* suffix : {".log", ".index", ".timeindex"}) expected.insert(stem20(base) + suffix);
  }
  std::set<std::string> segment_files;
  for (const auto& e : sfs::directory_iterator(env.partition_dir())) {
    const auto name = e.path().filename().string();
    if (name.ends_with(".snapshot")) continue;  // producer-state snapshots, named by offset too
    const auto dot = name.find('.');
    if (dot == 20 && tu::is_stem20(name.substr(0, 20))) segment_files.insert(name);
  }
  CHECK(segment_files == expected);
  CHECK(stem20(12345) == "00000000000000012345");
  CHECK(st::Segment::file_stem(st::Offset(12345)) == stem20(12345));
}

TEST_CASE("segments roll by time with segment.ms") {
  tu::StorageEnv env;
  auto cfg = tu::small_config(1 << 20, 4096);
  cfg.segment_ms = 1000;
  auto log = env.open(cfg);  // segment 0 is created now
  auto append1 = [&](std::uint64_t id) {
    auto b = tu::make_batch(id, 1, env.clock.now_ms());
    return tu::append_bytes(*log, b);
  };
  // An empty active segment never rolls, however old.
  env.clock.advance(5000);
  CHECK(append1(0).base == st::Offset(0));
  CHECK(log->segment_count() == 1);
  // Segment 0 was created 5000 ms ago, at open: the next append rolls.
  CHECK(append1(1).base == st::Offset(1));
  CHECK(log->segment_count() == 2);
  CHECK(segment_bases(env.partition_dir()) == std::vector<std::uint64_t>{0, 1});

  // Segment 1 was created just now: 999 ms later it is still active...
  env.clock.advance(999);
  CHECK(append1(2).base == st::Offset(2));
  CHECK(log->segment_count() == 2);
  // ...and at exactly segment.ms it rolls.
  env.clock.advance(1);
  CHECK(append1(3).base == st::Offset(3));
  CHECK(log->segment_count() == 3);
  CHECK(segment_bases(env.partition_dir()) == std::vector<std::uint64_t>{0, 1, 3});

  // segment.ms = -1: never rolls by time.
  cfg.segment_ms = st::LogConfig::kDisabled;
  REQUIRE_FALSE(log->set_config(cfg));
  env.clock.advance(365LL * 24 * 3600 * 1000);
  CHECK(append1(4).base == st::Offset(4));
  CHECK(log->segment_count() == 3);

  const auto records = tu::read_all_with_offsets(*log, st::Offset(0));
  REQUIRE(records.size() == 5);
  for (std::size_t i = 0; i < records.size(); ++i) {
    CHECK(records[i].offset == i);
    CHECK(records[i].record.key == key_for(i));
  }
}

TEST_CASE("an explicit roll starts a new segment at log_end, rolling an empty segment does nothing") {
  tu::StorageEnv env;
  auto log = env.open(tu::small_config(1 << 20, 4096));
  REQUIRE_FALSE(log->roll());
  CHECK(log->segment_count() == 1);
  auto b = tu::make_batch(0, 4, kT0);
  tu::append_bytes(*log, b);
  REQUIRE_FALSE(log->roll());
  CHECK(log->segment_count() == 2);
  REQUIRE_FALSE(log->roll());
  CHECK(log->segment_count() == 2);
  CHECK(segment_bases(env.partition_dir()) == std::vector<std::uint64_t>{0, 4});
  auto c = tu::make_batch(4, 1, kT0);
  CHECK(tu::append_bytes(*log, c).base == st::Offset(4));
  CHECK(tu::read_all(*log, st::Offset(0)).size() == 5);
}

}  // TEST_SUITE

}  // namespace strata::test::plog
