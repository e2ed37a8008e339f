#include "storage/retention_status.h"

#include <cstdint>
#include <limits>

#include "storage/time_format.h"

namespace strata::storage {

namespace {
constexpr std::int64_t kFar = INT64_MAX;
// a - b, or kFar when it does not fit (a is then far after b).
std::int64_t saturated_sub(std::int64_t a, std::int64_t b) {
  std::int64_t d = 0;
  return __builtin_sub_overflow(a, b, &d) ? kFar : d;
}
// a + b for b >= 0, or kFar when it does not fit.
std::int64_t saturated_add(std::int64_t a, std::int64_t b) {
  std::int64_t d = 0;
  return __builtin_add_overflow(a, b, &d) ? kFar : d;
}
}  // namespace

RetentionStatus classify_retention(const LogConfig& config, std::int64_t now_ms, bool only_segment,
                                   std::int64_t max_timestamp, std::uint64_t total_bytes) {
  RetentionStatus s;
  s.oldest_max_timestamp = max_timestamp;
  s.partition_bytes = total_bytes;
  s.as_of_ms = now_ms;
  const bool by_time = config.retention_ms != LogConfig::kDisabled;
  const bool by_size = config.retention_bytes != LogConfig::kDisabled;
  if (only_segment) {
    // An expired active segment is rolled by the next pass, then deleted.
    const bool empty = max_timestamp == std::numeric_limits<std::int64_t>::min();
    const bool expired = by_time && !empty && saturated_sub(now_ms, max_timestamp) > config.retention_ms;
    s.hold = expired ? RetentionHold::due : RetentionHold::active_segment;
  } else if (by_size && total_bytes > static_cast<std::uint64_t>(config.retention_bytes)) {
    s.hold = RetentionHold::due;
  } else if (by_time && max_timestamp > now_ms) {
    s.hold = RetentionHold::future_timestamp;
    s.hold_until_ms = max_timestamp;
  } else if (by_time) {
    // The rule enforce_retention applies: deleted once max < now - retention.ms.
    const std::int64_t age = saturated_sub(now_ms, max_timestamp);  // >= 0 here
    const bool expired = age > config.retention_ms;
    s.hold = expired ? RetentionHold::due : RetentionHold::time;
    if (!expired) s.hold_until_ms = saturated_add(saturated_add(now_ms, config.retention_ms - age), 1);
  } else {
    s.hold = by_size ? RetentionHold::size : RetentionHold::forever;
  }
  return s;
}

std::string describe_hold(const RetentionStatus& s, const LogConfig& config) {
  const std::int64_t now_ms = s.as_of_ms;
  switch (s.hold) {
    case RetentionHold::active_segment: return "active segment";
    case RetentionHold::time: return "time: expires in " + format_duration_ms(s.hold_until_ms - now_ms);
    case RetentionHold::size:
      return "size: within retention.bytes (" + std::to_string(s.partition_bytes) + " of " +
             std::to_string(config.retention_bytes) + " bytes)";
    case RetentionHold::future_timestamp:
      return "held by a future timestamp: " + format_utc_ms(s.hold_until_ms) + " (" +
             format_duration_ms(s.hold_until_ms - now_ms) + " ahead of the broker's clock)";
    case RetentionHold::forever: return "forever: retention.ms and retention.bytes are -1";
    case RetentionHold::due: return "due: the next retention pass deletes it";
  }
  return "unknown";
}

}  // namespace strata::storage
