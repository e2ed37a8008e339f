// Partition log reads: a new partition is empty; appends get contiguous
// offsets; a read from any offset, with any budget, returns whole batches of
// one segment and exactly the tail of the log; offsets outside
// [log_start, log_end] are out of range.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <random>

#include "partition_log_test_util.h"
#include "protocol/byte_io.h"

namespace strata::test::plog {

TEST_SUITE("partition_log") {

TEST_CASE("a new partition is empty and reads at offset 0 give an empty slice") {
  tu::StorageEnv env;
  auto log = env.open();
  CHECK(log->log_start() == st::Offset(0));
  CHECK(log->log_end() == st::Offset(0));
  CHECK(log->segment_count() == 1);
  CHECK(log->size_bytes() == 0);
  auto empty = log->read(st::Offset(0), 1024);
  REQUIRE(empty.has_value());
  CHECK(empty.value().length == 0);
  tu::check_out_of_range(*log, st::Offset(1), 1024);
  auto ts = log->offset_for_timestamp(0);
  REQUIRE(ts.has_value());
  CHECK_FALSE(ts.value().has_value());
  CHECK(sfs::exists(env.partition_dir() / (stem20(0) + ".log")));
}

TEST_CASE("append results are contiguous and earliest/latest offsets follow them") {
  tu::StorageEnv env;
  auto log = env.open(tu::small_config(2048, 256));
  std::uint64_t expected_next = 0;
  std::mt19937 rng(3);
  for (int i = 0; i < 60; ++i) {
    const std::size_t count = 1 + rng() % 7;
    auto bytes = tu::make_batch(static_cast<std::uint64_t>(i) * 100, count, kT0 + i, 20);
    const auto res = tu::append_bytes(*log, bytes);
    CHECK(res.base == st::Offset(expected_next));
    CHECK(res.last == st::Offset(expected_next + count - 1));
    CHECK(res.last.value() - res.base.value() + 1 == count);
    expected_next += count;
    CHECK(log->log_start() == st::Offset(0));
    CHECK(log->log_end() == st::Offset(expected_next));
    // The stamped base offset is written into the caller's bytes.
    CHECK(pr::load_be<std::uint64_t>(bytes.data()) == res.base.value());
  }
  CHECK(log->segment_count() > 1);
  const auto records = tu::read_all_with_offsets(*log, st::Offset(0));
  REQUIRE(records.size() == expected_next);
  for (std::size_t i = 0; i < records.size(); ++i) CHECK(records[i].offset == i);
}

TEST_CASE("reads from every offset across many segments return exactly the tail") {
  tu::StorageEnv env;
  const std::uint64_t segment_bytes = 2048;
  const std::uint32_t interval = index_interval_subcases(300);
  CAPTURE(interval);
  auto log = env.open(tu::small_config(segment_bytes, interval));
  const LogModel model = fill(*log, segment_bytes, 70);
  REQUIRE(model.segments().size() >= 8);
  CHECK(log->segment_count() == model.segments().size());
  check_disk_matches_model(env.partition_dir(), model, segment_bytes);

  const std::uint64_t smaller_than_any_batch = model.min_batch_size() - 1;
  for (std::uint64_t budget : {std::uint64_t{1}, smaller_than_any_batch, std::uint64_t{700}, std::uint64_t{1} << 20}) {
    check_every_offset(*log, model, env.partition_dir(), budget);
  }
}

TEST_CASE("a budget near UINT64_MAX reads the rest of the segment") {
  tu::StorageEnv env;
  const std::uint64_t segment_bytes = 2048;
  auto log = env.open(tu::small_config(segment_bytes, 300));
  const LogModel model = fill(*log, segment_bytes, 30);
  REQUIRE(model.segments().size() >= 3);
  for (std::uint64_t budget : {std::numeric_limits<std::uint64_t>::max(),
                               std::numeric_limits<std::uint64_t>::max() - 100}) {
    check_every_offset(*log, model, env.partition_dir(), budget);
  }
}

TEST_CASE("offsets outside [log_start, log_end] are out of range, log_end is empty") {
  tu::StorageEnv env;
  auto cfg = tu::small_config(1024, 256);
  auto log = env.open(cfg);
  const LogModel model = fill(*log, cfg.segment_bytes, 30);
  const auto end = log->log_end();
  REQUIRE(end == st::Offset(model.end()));

  auto at_end = log->read(end, 1 << 20);
  REQUIRE(at_end.has_value());
  CHECK(at_end.value().length == 0);
  CHECK(at_end.value().first_offset == end);
  CHECK(at_end.value().next_offset == end);

  for (std::uint64_t beyond : {end.value() + 1, end.value() + 1000, std::numeric_limits<std::uint64_t>::max()}) {
    CAPTURE(beyond);
    for (std::uint64_t budget : {std::uint64_t{1}, std::uint64_t{1} << 20}) {
      tu::check_out_of_range(*log, st::Offset(beyond), budget);
    }
  }

  // Move the log start forward (retention.bytes 0 keeps only the active segment).
  cfg.retention_bytes = 0;
  REQUIRE_FALSE(log->set_config(cfg));
  auto report = log->enforce_retention();
  REQUIRE(report.has_value());
  const auto bases = segment_bases(env.partition_dir());
  REQUIRE(bases.size() == 1);
  CHECK(log->log_start() == st::Offset(bases.front()));
  REQUIRE(log->log_start() > st::Offset(0));
  for (std::uint64_t below : {std::uint64_t{0}, log->log_start().value() - 1}) {
    tu::check_out_of_range(*log, st::Offset(below));
  }
  auto first = log->read(log->log_start(), 1 << 20);
  REQUIRE(first.has_value());
  CHECK(first.value().first_offset == log->log_start());
  CHECK(first.value().length > 0);
  auto still_end = log->read(end, 1);
  REQUIRE(still_end.has_value());
  CHECK(still_end.value().length == 0);
}

}  // TEST_SUITE

}  // namespace strata::test::plog
