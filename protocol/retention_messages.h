// DescribeRetention (API 10, version 0): for each partition of a topic, the
// oldest segment and the rule that keeps it (issue 23), so a user can see
// why a disk is not freed. Request: TopicRequest (the topic's name).
// decode() leaves the reader failed (r.ok() == false) on malformed input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/error_code.h"
#include "protocol/frame.h"

namespace strata::protocol {

// Why the oldest segment is kept; the numbers are storage::RetentionHold's.
enum class RetentionReason : std::uint8_t {
  active_segment = 0,
  time = 1,
  size = 2,
  future_timestamp = 3,
  forever = 4,
  due = 5,
};
inline constexpr std::uint8_t kLastRetentionReason = 5;

struct PartitionRetention {
  std::uint32_t partition = 0;
  ErrorCode error = ErrorCode::none;
  std::uint64_t oldest_base_offset = 0;
  std::uint64_t oldest_size_bytes = 0;
  std::int64_t oldest_max_timestamp = 0;  // INT64_MIN for an empty segment
  std::uint64_t segments = 0;
  RetentionReason reason = RetentionReason::active_segment;
  std::int64_t reason_time = -1;  // time: when it expires; future_timestamp: the timestamp; else -1
  std::string reason_text;        // the rule in words, e.g. "time: expires in 6d 23h"
  bool operator==(const PartitionRetention&) const = default;
};

struct DescribeRetentionResponse {
  ErrorCode error = ErrorCode::none;
  std::string message;
  std::vector<PartitionRetention> partitions;
  void encode(ByteWriter& w) const;
  static DescribeRetentionResponse decode(ByteReader& r);
};

}  // namespace strata::protocol
