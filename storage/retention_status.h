// Why retention keeps a partition's oldest segment: the answer to "why is
// my disk not freed", shown by `strata topic describe --retention` and
// logged by the retention pass when a segment outstays retention.ms.
// Pure values and functions; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "storage/log_config.h"
#include "storage/types.h"

namespace strata::storage {

// The rule that keeps the oldest segment. Numbers are on the wire
// (DescribeRetention, PROTOCOL.md): never reuse one.
enum class RetentionHold : std::uint8_t {
  active_segment = 0,    // it is the only segment: retention deletes closed ones (or rolls an expired one)
  time = 1,              // its newest timestamp is within retention.ms
  size = 2,              // retention.ms is off and the partition is within retention.bytes
  future_timestamp = 3,  // its newest timestamp is ahead of the broker's clock
  forever = 4,           // retention.ms and retention.bytes are both -1
  due = 5,               // expired (an active one is rolled first) or over retention.bytes: the next pass deletes it
};

struct RetentionStatus {
  Offset oldest_base;                     // first offset of the oldest segment
  std::uint64_t oldest_size = 0;          // its bytes
  std::int64_t oldest_max_timestamp = 0;  // its largest timestamp; INT64_MIN when empty
  std::uint64_t segments = 0;             // in the partition
  std::uint64_t partition_bytes = 0;
  RetentionHold hold = RetentionHold::active_segment;
  // time: when it expires; future_timestamp: the timestamp; otherwise -1.
  std::int64_t hold_until_ms = -1;
  std::int64_t as_of_ms = 0;  // the clock's time the rule was judged at
};

// What a segment with these facts is kept by. `total_bytes`: the whole
// partition's size.
[[nodiscard]] RetentionStatus classify_retention(const LogConfig& config, std::int64_t now_ms, bool only_segment,
                                                 std::int64_t max_timestamp, std::uint64_t total_bytes);

// The rule in words, as of status.as_of_ms: "active segment", "time: expires in 6d
// 23h", "size: within retention.bytes (1200 of 4096 bytes)", "held by a
// future timestamp: 2036-12-05T10:00:00.000Z", "forever: retention.ms and
// retention.bytes are -1", "due: the next retention pass deletes it".
[[nodiscard]] std::string describe_hold(const RetentionStatus& status, const LogConfig& config);

}  // namespace strata::storage
