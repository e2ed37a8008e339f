// message.timestamp.before.max.ms / after.max.ms (issue 23): a batch with
// one record outside the bounds is refused whole and leaves the log as it
// was; a producer clock ten years ahead can no longer stop time retention.
#include <doctest/doctest.h>

#include "protocol/batch_builder.h"
#include "storage/storage_errc.h"
#include "storage/time_format.h"
#include "storage/timestamp_bounds.h"
#include "storage_test_util.h"

namespace strata::test {
namespace {

namespace st = strata::storage;
constexpr std::int64_t kTenYearsMs = 3653LL * 86'400'000;

// One record per timestamp, compressed with `codec`.
std::vector<std::uint8_t> batch_at(std::initializer_list<std::int64_t> timestamps,
                                   protocol::Compression codec = protocol::Compression::none) {
  protocol::BatchBuilder builder(codec);
  for (const std::int64_t ts : timestamps) builder.add(ts, protocol::as_bytes("k"), protocol::as_bytes("v"));
  return builder.finish();
}

// Retention by time with segments rolled every 300 ms, as the issue's report.
st::LogConfig issue_config() {
  st::LogConfig c = small_config();
  c.segment_ms = 300;
  c.retention_ms = 2000;
  return c;
}

}  // namespace

TEST_SUITE("timestamp bounds") {

TEST_CASE("a record ten years ahead is refused whole with invalid_timestamp and retention keeps working") {
  StorageEnv env;
  auto log = env.open(issue_config());  // after.max.ms: the default, one hour
  const std::int64_t t0 = env.clock.now_ms();
  auto good = batch_at({t0});
  append_bytes(*log, good);
  // Two good records around one ten years ahead, compressed: the validator
  // must see every record's timestamp, not just the header's.
  auto future = batch_at({t0, t0 + kTenYearsMs, t0 + 1}, protocol::Compression::zstd);
  const auto size_before = log->size_bytes();
  check_append_fails(*log, future, st::StorageErrc::invalid_timestamp);
  CHECK(log->log_end() == st::Offset(1));
  CHECK(log->size_bytes() == size_before);

  auto valid = protocol::validate_for_append(future, protocol::kMaxBatchBytes);
  REQUIRE(valid.has_value());
  const auto refusal = log->check_timestamps(valid.value());
  REQUIRE(refusal.has_value());
  CHECK(refusal->future);
  CHECK(refusal->timestamp == t0 + kTenYearsMs);
  CHECK(refusal->now_ms == t0);
  CHECK(refusal->bound_ms == 3'600'000);
  const std::string message = refusal->message();
  CHECK(message.find(std::to_string(t0 + kTenYearsMs)) != std::string::npos);
  CHECK(message.find(st::format_utc_ms(t0)) != std::string::npos);
  CHECK(message.find("message.timestamp.after.max.ms=3600000") != std::string::npos);

  // Six seconds of later records, as in the report: retention deletes them
  // once they are older than retention.ms.
  for (int i = 0; i < 20; ++i) {
    env.clock.advance(300);
    auto later = batch_at({env.clock.now_ms()});
    append_bytes(*log, later);
  }
  env.clock.advance(3000);
  auto report = log->enforce_retention();
  REQUIRE(report.has_value());
  CHECK(report.value().segments_deleted >= 20);
  CHECK(log->log_start() == st::Offset(21));
}

TEST_CASE("without the bound a future record holds back time retention for the whole partition") {
  // The report's failure, reproduced with after.max.ms = -1: this is what
  // the default bound prevents.
  StorageEnv env;
  auto cfg = issue_config();
  cfg.timestamp_after_max_ms = st::LogConfig::kDisabled;
  auto log = env.open(cfg);
  auto future = batch_at({env.clock.now_ms() + kTenYearsMs});
  append_bytes(*log, future);
  for (int i = 0; i < 20; ++i) {
    env.clock.advance(300);
    auto later = batch_at({env.clock.now_ms()});
    append_bytes(*log, later);
  }
  env.clock.advance(3000);
  REQUIRE(log->enforce_retention().has_value());
  CHECK(log->log_start() == st::Offset(0));
  CHECK(log->retention_status().hold == st::RetentionHold::future_timestamp);
}

TEST_CASE("a 1970 timestamp is refused when before.max.ms is set, and accepted without it") {
  StorageEnv env;
  auto cfg = small_config();
  auto log = env.open(cfg);
  auto old = batch_at({env.clock.now_ms(), 0});
  append_bytes(*log, old);  // before.max.ms defaults to no bound
  CHECK(log->log_end() == st::Offset(2));

  cfg.timestamp_before_max_ms = 7LL * 86'400'000;
  REQUIRE_FALSE(log->set_config(cfg));
  auto again = batch_at({env.clock.now_ms(), 0});
  check_append_fails(*log, again, st::StorageErrc::invalid_timestamp);
  CHECK(log->log_end() == st::Offset(2));
  auto valid = protocol::validate_for_append(again, protocol::kMaxBatchBytes);
  REQUIRE(valid.has_value());
  const auto refusal = log->check_timestamps(valid.value());
  REQUIRE(refusal.has_value());
  CHECK_FALSE(refusal->future);
  CHECK(refusal->timestamp == 0);
  CHECK(refusal->message().find("1970-01-01T00:00:00.000Z") != std::string::npos);
  CHECK(refusal->message().find("message.timestamp.before.max.ms=604800000") != std::string::npos);

  // Exactly at the bound is allowed; one millisecond past it is not.
  const std::int64_t now = env.clock.now_ms();
  CHECK_FALSE(st::check_timestamp_bounds(cfg, now - cfg.timestamp_before_max_ms, now, now).has_value());
  CHECK(st::check_timestamp_bounds(cfg, now - cfg.timestamp_before_max_ms - 1, now, now).has_value());
  CHECK_FALSE(st::check_timestamp_bounds(cfg, now, now + 3'600'000, now).has_value());
  CHECK(st::check_timestamp_bounds(cfg, now, now + 3'600'001, now).has_value());
}

TEST_CASE("timestamp bounds never overflow and do not apply to LogAppendTime") {
  st::LogConfig cfg;
  cfg.timestamp_before_max_ms = 0;
  cfg.timestamp_after_max_ms = 0;
  const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  CHECK(st::check_timestamp_bounds(cfg, lo, lo, kT0).has_value());
  CHECK(st::check_timestamp_bounds(cfg, hi, hi, kT0).has_value());
  CHECK(st::check_timestamp_bounds(cfg, lo, lo, -kT0).has_value());
  cfg.timestamp_before_max_ms = hi;
  cfg.timestamp_after_max_ms = hi;
  CHECK_FALSE(st::check_timestamp_bounds(cfg, kT0 - 5, kT0 + 5, kT0).has_value());
  CHECK(st::check_timestamp_bounds(cfg, lo, kT0, kT0).has_value());  // further than INT64_MAX
  cfg.timestamp_type = st::TimestampType::log_append_time;
  cfg.timestamp_before_max_ms = 0;
  CHECK_FALSE(st::check_timestamp_bounds(cfg, lo, hi, kT0).has_value());
}

}  // TEST_SUITE

}  // namespace strata::test
