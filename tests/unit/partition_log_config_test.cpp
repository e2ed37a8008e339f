// LogConfig on a partition log: set_config applies live, invalid values are
// rejected (by set_config and at open) and leave the log as it was, and the
// edges of the valid ranges are accepted.
#include <doctest/doctest.h>

#include <cstdint>

#include "partition_log_test_util.h"
#include "storage/storage_errc.h"

namespace strata::test::plog {

TEST_SUITE("partition_log") {

TEST_CASE("set_config applies live and rejects invalid values") {
  tu::StorageEnv env;
  auto cfg = tu::small_config(1 << 20, 4096);
  auto log = env.open(cfg);
  std::uint64_t id = 0;
  auto append = [&](std::size_t count) {
    auto b = tu::make_batch(id, count, env.clock.now_ms(), 50);
    id += count;
    return tu::append_bytes(*log, b);
  };
  for (int i = 0; i < 5; ++i) (void)append(2);
  CHECK(log->segment_count() == 1);

  // segment.bytes down: the very next append rolls, then every one does.
  auto small = cfg;
  small.segment_bytes = 1;
  REQUIRE_FALSE(log->set_config(small));
  CHECK(log->config().segment_bytes == 1);
  CHECK(append(2).base == st::Offset(10));
  CHECK(log->segment_count() == 2);
  CHECK(append(2).base == st::Offset(12));
  CHECK(log->segment_count() == 3);

  // segment.ms live.
  auto timed = cfg;
  timed.segment_ms = 100;
  REQUIRE_FALSE(log->set_config(timed));
  (void)append(1);
  const auto before = log->segment_count();
  env.clock.advance(100);
  (void)append(1);
  CHECK(log->segment_count() == before + 1);

  const st::LogConfig good = log->config();
  auto reject = [&](st::LogConfig bad, const char* what) {
    CAPTURE(what);
    CHECK(bad.validate() == make_error_code(st::StorageErrc::invalid_config));
    CHECK(log->set_config(bad) == make_error_code(st::StorageErrc::invalid_config));
    CHECK(log->config().segment_bytes == good.segment_bytes);
    CHECK(log->config().segment_ms == good.segment_ms);
    CHECK(log->config().retention_bytes == good.retention_bytes);
    CHECK(log->config().retention_ms == good.retention_ms);
    CHECK(log->config().index_interval_bytes == good.index_interval_bytes);
    // Opening with it fails the same way.
    tu::TempDir other;
    auto opened = st::PartitionLog::open(other.path() / "p", env.cache, env.options(bad));
    REQUIRE_FALSE(opened.has_value());
    CHECK(opened.error() == make_error_code(st::StorageErrc::invalid_config));
  };
  st::LogConfig bad = good;
  bad.segment_bytes = 0;
  reject(bad, "segment.bytes 0");
  bad = good;
  bad.segment_bytes = st::LogConfig::kMaxSegmentBytes + 1;
  reject(bad, "segment.bytes too large");
  bad = good;
  bad.segment_ms = 0;
  reject(bad, "segment.ms 0");
  bad = good;
  bad.segment_ms = -2;
  reject(bad, "segment.ms -2");
  bad = good;
  bad.retention_bytes = -2;
  reject(bad, "retention.bytes -2");
  bad = good;
  bad.retention_ms = -2;
  reject(bad, "retention.ms -2");
  bad = good;
  bad.index_interval_bytes = 0;
  reject(bad, "index.interval.bytes 0");

  // The edges of the valid ranges are accepted.
  st::LogConfig edge = good;
  edge.segment_bytes = st::LogConfig::kMaxSegmentBytes;
  edge.segment_ms = st::LogConfig::kDisabled;
  edge.retention_bytes = 0;
  edge.retention_ms = 0;
  edge.index_interval_bytes = 1;
  CHECK_FALSE(edge.validate());
  CHECK_FALSE(log->set_config(edge));
  CHECK(log->config().segment_bytes == st::LogConfig::kMaxSegmentBytes);
  edge.segment_bytes = 1;
  edge.segment_ms = 1;
  edge.retention_bytes = st::LogConfig::kDisabled;
  edge.retention_ms = st::LogConfig::kDisabled;
  CHECK_FALSE(log->set_config(edge));
  CHECK(log->config().segment_ms == 1);

  // After the rejections the log still works and holds everything.
  const auto end = log->log_end();
  CHECK(append(1).base == end);
  CHECK(tu::read_all(*log, st::Offset(0)).size() == end.value() + 1);
}

}  // TEST_SUITE

}  // namespace strata::test::plog
