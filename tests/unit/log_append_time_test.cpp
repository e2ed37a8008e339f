// message.timestamp.type=LogAppendTime (issue 23): the log stamps each
// batch as Kafka's v2 format defines it (attribute bit, maxTimestamp = the
// append time, CRC recomputed), readers report the append time for every
// record, and the time index and retention go by it whatever the producer
// stamped.
#include <doctest/doctest.h>

#include <algorithm>

#include "protocol/batch_builder.h"
#include "storage_test_util.h"

namespace strata::test {
namespace {

namespace st = strata::storage;
constexpr std::int64_t kDayMs = 86'400'000;

st::LogConfig append_time_config() {
  st::LogConfig c = small_config();
  c.timestamp_type = st::TimestampType::log_append_time;
  c.timestamp_before_max_ms = 0;  // would refuse every stale record under CreateTime
  c.timestamp_after_max_ms = 0;
  return c;
}

// The bytes of the batch holding `offset`, as stored.
std::vector<std::uint8_t> stored_batch(st::PartitionLog& log, st::Offset offset) {
  auto slice = log.read(offset, 1);
  REQUIRE(slice.has_value());
  std::vector<std::uint8_t> buf(slice.value().length);
  auto n = slice.value().file->read_at(slice.value().position, buf);
  REQUIRE(n.has_value());
  return buf;
}

}  // namespace

TEST_SUITE("log append time") {

TEST_CASE("LogAppendTime: records read back with the log's clock, the batch stamped as Kafka's format says") {
  StorageEnv env;
  auto log = env.open(append_time_config());
  const std::int64_t stale = env.clock.now_ms() - 30 * kDayMs;
  for (const auto codec : {protocol::Compression::none, protocol::Compression::lz4}) {
    protocol::BatchBuilder builder(codec);
    for (int i = 0; i < 3; ++i) builder.add(stale + i, protocol::as_bytes("k"), protocol::as_bytes("v"));
    auto bytes = builder.finish();
    append_bytes(*log, bytes);
    env.clock.advance(1000);
  }
  const auto records = read_all_with_offsets(*log, st::Offset(0));
  REQUIRE(records.size() == 6);
  for (const auto& r : records) {
    CAPTURE(r.offset);
    CHECK(r.record.timestamp == kT0 + (r.offset < 3 ? 0 : 1000));
  }
  const auto stored = stored_batch(*log, st::Offset(3));
  auto header = protocol::validate_batch(stored, protocol::kMaxBatchBytes);  // the CRC holds
  REQUIRE(header.has_value());
  CHECK(header.value().log_append_time());
  CHECK(header.value().max_timestamp == kT0 + 1000);
  CHECK(header.value().base_timestamp == stale);  // the producer's times stay in the bytes
  CHECK(header.value().compression() == protocol::Compression::lz4);

  // The time index goes by the append time too.
  auto found = log->offset_for_timestamp(kT0 + 1);
  REQUIRE(found.has_value());
  CHECK(found.value() == std::optional<st::Offset>(st::Offset(3)));
}

TEST_CASE("LogAppendTime: segments expire by append time while producers send stale timestamps") {
  for (const auto type : {st::TimestampType::create_time, st::TimestampType::log_append_time}) {
    CAPTURE(static_cast<int>(type));
    StorageEnv env;
    auto cfg = small_config();
    cfg.timestamp_type = type;
    cfg.retention_ms = 10'000;
    auto log = env.open(cfg);
    auto stale = make_batch(0, 3, env.clock.now_ms() - 30 * kDayMs);
    append_bytes(*log, stale);
    REQUIRE_FALSE(log->roll());
    env.clock.advance(5000);
    auto stale2 = make_batch(3, 2, env.clock.now_ms() - 30 * kDayMs);
    append_bytes(*log, stale2);
    REQUIRE_FALSE(log->roll());
    env.clock.advance(6000);  // the first segment is 11 s old by append time, the second 6 s
    REQUIRE(log->enforce_retention().has_value());
    if (type == st::TimestampType::create_time) {
      CHECK(log->log_start() == st::Offset(5));  // both went: their records say "30 days ago"
    } else {
      CHECK(log->log_start() == st::Offset(3));
      env.clock.advance(4000);
      REQUIRE(log->enforce_retention().has_value());
      CHECK(log->log_start() == st::Offset(3));  // exactly retention.ms old: kept
      env.clock.advance(1);
      REQUIRE(log->enforce_retention().has_value());
      CHECK(log->log_start() == st::Offset(5));
    }
  }
}

TEST_CASE("LogAppendTime applies live: CreateTime batches before, stamped ones after") {
  StorageEnv env;
  auto cfg = small_config();
  auto log = env.open(cfg);
  auto first = make_batch(0, 1, kT0 - kDayMs);
  append_bytes(*log, first);
  cfg.timestamp_type = st::TimestampType::log_append_time;
  REQUIRE_FALSE(log->set_config(cfg));
  auto second = make_batch(1, 1, kT0 - kDayMs);
  append_bytes(*log, second);
  const auto records = read_all(*log, st::Offset(0));
  REQUIRE(records.size() == 2);
  CHECK(records[0].timestamp == kT0 - kDayMs);
  CHECK(records[1].timestamp == kT0);
}

TEST_CASE("segment.jitter.ms: each segment rolls by age up to the jitter early, not all at once") {
  constexpr std::int64_t kSegmentMs = 10'000;
  constexpr std::int64_t kJitterMs = 4'000;
  std::vector<std::int64_t> roll_ages;
  for (int p = 0; p < 12; ++p) {
    StorageEnv env;
    auto cfg = small_config();
    cfg.segment_ms = kSegmentMs;
    cfg.segment_jitter_ms = kJitterMs;
    auto log = env.open(cfg);
    auto first = make_batch(0, 1, env.clock.now_ms());
    append_bytes(*log, first);
    // An append every 100 ms until the segment rolls.
    std::int64_t age = 0;
    for (; age <= kSegmentMs && log->segment_count() == 1; age += 100) {
      env.clock.advance(100);
      auto next = make_batch(1, 1, env.clock.now_ms());
      append_bytes(*log, next);
    }
    REQUIRE(log->segment_count() == 2);
    roll_ages.push_back(age);
  }
  for (const auto age : roll_ages) {
    CHECK(age > kSegmentMs - kJitterMs);
    CHECK(age <= kSegmentMs);
  }
  // Twelve draws from 4000 values: all in one 100 ms step has odds below 10^-20.
  CHECK(std::ranges::minmax(roll_ages).min != std::ranges::minmax(roll_ages).max);
}

TEST_CASE("segment.jitter.ms 0 rolls at exactly segment.ms") {
  constexpr std::int64_t kSegmentMs = 10'000;
  {
    StorageEnv env;
    auto cfg = small_config();
    cfg.segment_ms = kSegmentMs;
    auto log = env.open(cfg);
    auto first = make_batch(0, 1, env.clock.now_ms());
    append_bytes(*log, first);
    env.clock.advance(kSegmentMs - 1);
    auto second = make_batch(1, 1, env.clock.now_ms());
    append_bytes(*log, second);
    CHECK(log->segment_count() == 1);
    env.clock.advance(1);
    auto third = make_batch(2, 1, env.clock.now_ms());
    append_bytes(*log, third);
    CHECK(log->segment_count() == 2);
  }
}

}  // TEST_SUITE

}  // namespace strata::test
