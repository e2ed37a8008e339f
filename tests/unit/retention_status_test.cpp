// What keeps a partition's oldest segment (issue 23): each of the reasons
// built for real, and the retention pass's one log line when a segment
// outstays retention.ms.
#include <doctest/doctest.h>

#include <algorithm>

#include "storage/time_format.h"
#include "storage_test_util.h"

namespace strata::test {
namespace {

namespace st = strata::storage;
constexpr std::int64_t kDayMs = 86'400'000;

std::string reason(st::PartitionLog& log) { return st::describe_hold(log.retention_status(), log.config()); }

std::size_t count_containing(const std::vector<std::string>& events, const std::string& text) {
  return static_cast<std::size_t>(
      std::ranges::count_if(events, [&](const std::string& e) { return e.find(text) != std::string::npos; }));
}

// retention.ms = 2000 and no future bound; segment 0 holds one record ten
// years ahead and is closed now, segment 1 one record of now. Returns the
// future timestamp.
std::int64_t hold_by_future(StorageEnv& env, std::unique_ptr<st::PartitionLog>& log) {
  auto cfg = small_config();
  cfg.retention_ms = 2000;
  cfg.timestamp_after_max_ms = st::LogConfig::kDisabled;
  log = env.open(cfg);
  const std::int64_t future = env.clock.now_ms() + 3650 * kDayMs;
  auto ahead = make_batch(0, 1, future);
  append_bytes(*log, ahead);
  REQUIRE_FALSE(log->roll());  // the next segment is created now: segment 0 takes no append after this
  auto now = make_batch(1, 1, env.clock.now_ms());
  append_bytes(*log, now);
  return future;
}

}  // namespace

TEST_SUITE("retention status") {

TEST_CASE("retention status names the rule that keeps the oldest segment") {
  StorageEnv env;
  auto cfg = small_config();
  cfg.retention_ms = 7 * kDayMs;
  cfg.timestamp_after_max_ms = st::LogConfig::kDisabled;
  auto log = env.open(cfg);

  // One segment: retention only deletes closed ones.
  auto first = make_batch(0, 2, env.clock.now_ms());
  append_bytes(*log, first);
  auto s = log->retention_status();
  CHECK(s.hold == st::RetentionHold::active_segment);
  CHECK(s.segments == 1);
  CHECK(reason(*log) == "active segment");
  // Older than retention.ms, it is no longer kept: the next pass rolls and deletes it.
  env.clock.advance(7 * kDayMs + 2);
  CHECK(log->retention_status().hold == st::RetentionHold::due);
  env.clock.set(kT0);

  // Closed, newest record one hour old: expires in 6d 23h.
  REQUIRE_FALSE(log->roll());
  auto second = make_batch(2, 1, env.clock.now_ms());
  append_bytes(*log, second);
  env.clock.advance(3'600'000);
  s = log->retention_status();
  CHECK(s.hold == st::RetentionHold::time);
  CHECK(s.oldest_base == st::Offset(0));
  CHECK(s.oldest_max_timestamp == kT0 + 1);
  CHECK(s.oldest_size == first.size());
  CHECK(s.segments == 2);
  CHECK(s.hold_until_ms == kT0 + 1 + 7 * kDayMs + 1);
  CHECK(reason(*log) == "time: expires in 6d 23h");

  // retention.ms off, retention.bytes above the partition's size.
  cfg.retention_ms = st::LogConfig::kDisabled;
  cfg.retention_bytes = 1 << 20;
  REQUIRE_FALSE(log->set_config(cfg));
  CHECK(log->retention_status().hold == st::RetentionHold::size);
  CHECK(reason(*log) ==
        "size: within retention.bytes (" + std::to_string(log->size_bytes()) + " of 1048576 bytes)");

  // Neither rule.
  cfg.retention_bytes = st::LogConfig::kDisabled;
  REQUIRE_FALSE(log->set_config(cfg));
  CHECK(log->retention_status().hold == st::RetentionHold::forever);

  // Over retention.bytes: the next pass deletes it.
  cfg.retention_bytes = 1;
  REQUIRE_FALSE(log->set_config(cfg));
  CHECK(log->retention_status().hold == st::RetentionHold::due);
}

TEST_CASE("retention status: a future timestamp holds the segment, with its date") {
  StorageEnv env;
  std::unique_ptr<st::PartitionLog> log;
  const std::int64_t future = hold_by_future(env, log);
  const auto s = log->retention_status();
  CHECK(s.hold == st::RetentionHold::future_timestamp);
  CHECK(s.hold_until_ms == future);
  const std::string text = reason(*log);
  CHECK(text.starts_with("held by a future timestamp: " + st::format_utc_ms(future)));
  CHECK(st::format_utc_ms(future).starts_with("2033-"));
}

TEST_CASE("the retention pass logs a segment kept past retention.ms once, after a whole interval") {
  StorageEnv env;
  std::unique_ptr<st::PartitionLog> log;
  hold_by_future(env, log);
  const std::string line = "past retention.ms=2000: held by a future timestamp";
  auto pass = [&] {
    REQUIRE(log->enforce_retention().has_value());
    return count_containing(env.events, line);
  };
  env.clock.advance(1000);
  CHECK(pass() == 0);  // within retention.ms
  env.clock.advance(1500);
  CHECK(pass() == 0);  // past it, first seen
  env.clock.advance(1000);
  CHECK(pass() == 1);  // still there a whole interval later
  env.clock.advance(1000);
  CHECK(pass() == 1);  // once, not every pass
  env.clock.advance(1000);
  CHECK(pass() == 1);
  CHECK(log->log_start() == st::Offset(0));
}

TEST_CASE("format_duration_ms and format_utc_ms") {
  CHECK(st::format_duration_ms(-5) == "0ms");
  CHECK(st::format_duration_ms(999) == "999ms");
  CHECK(st::format_duration_ms(1250) == "1.250s");
  CHECK(st::format_duration_ms(3'599'000) == "59m 59s");
  CHECK(st::format_duration_ms(7 * kDayMs - 3'600'000) == "6d 23h");
  CHECK(st::format_utc_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(st::format_utc_ms(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(st::format_utc_ms(2'112'048'000'123) == "2036-12-05T00:00:00.123Z");
  CHECK(st::format_utc_ms(std::numeric_limits<std::int64_t>::max()) ==
        std::to_string(std::numeric_limits<std::int64_t>::max()) + " ms since the epoch");
}

}  // TEST_SUITE

}  // namespace strata::test
