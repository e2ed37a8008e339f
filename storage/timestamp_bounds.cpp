#include "storage/timestamp_bounds.h"

#include "storage/time_format.h"

namespace strata::storage {

namespace {

// Whether `later - earlier` exceeds bound (>= 0); a difference too large
// for int64 exceeds every bound.
bool beyond(std::int64_t later, std::int64_t earlier, std::int64_t bound) noexcept {
  if (later <= earlier) return false;
  std::int64_t diff = 0;
  return __builtin_sub_overflow(later, earlier, &diff) || diff > bound;
}

}  // namespace

std::optional<TimestampRefusal> check_timestamp_bounds(const LogConfig& config, std::int64_t min_ts,
                                                       std::int64_t max_ts, std::int64_t now_ms) noexcept {
  if (config.timestamp_type == TimestampType::log_append_time) return std::nullopt;
  const std::int64_t after = config.timestamp_after_max_ms;
  if (after != LogConfig::kDisabled && beyond(max_ts, now_ms, after)) {
    return TimestampRefusal{max_ts, now_ms, after, true};
  }
  const std::int64_t before = config.timestamp_before_max_ms;
  if (before != LogConfig::kDisabled && beyond(now_ms, min_ts, before)) {
    return TimestampRefusal{min_ts, now_ms, before, false};
  }
  return std::nullopt;
}

std::string TimestampRefusal::message() const {
  const std::string key = future ? "message.timestamp.after.max.ms" : "message.timestamp.before.max.ms";
  return "record timestamp " + std::to_string(timestamp) + " (" + format_utc_ms(timestamp) + ") is " +
         (future ? "ahead of" : "behind") + " the broker's clock " + std::to_string(now_ms) + " (" +
         format_utc_ms(now_ms) + ") by more than the topic's " + key + "=" + std::to_string(bound_ms) + " (" +
         format_duration_ms(bound_ms) + "); the whole batch was refused: fix the producer's clock or the " +
         "timestamps it sets, raise " + key + ", or use message.timestamp.type=LogAppendTime";
}

}  // namespace strata::storage
