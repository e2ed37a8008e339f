// What the service answers about one partition, in the service's own
// terms: no wire message appears here (DESIGN decision 12). Front doors
// copy these into their responses and map Errc to their codes.
#pragma once

#include <cstdint>
#include <string>

#include "broker/core/status.h"
#include "storage/retention_status.h"
#include "storage/segment.h"

namespace strata::broker {

// When a produce is answered. none: never; leader: once appended (in the
// page cache); durable: once a group commit has fdatasynced it.
enum class AckLevel : std::uint8_t { none, leader, durable };

inline constexpr std::int64_t kLatestTimestamp = -1;    // ListOffsets: the log end
inline constexpr std::int64_t kEarliestTimestamp = -2;  // ListOffsets: the log start
inline constexpr std::int64_t kNoOffset = -1;

struct ProduceResult {
  std::uint32_t partition = 0;
  Errc error = Errc::none;
  std::string message;            // specifics when error != none
  std::uint64_t base_offset = 0;  // the batch's first offset
  std::uint64_t log_start = 0;
};

// One partition's share of a fetch: its ends, and the byte range of a
// segment file to send (slice.length == 0: none).
struct PartitionRead {
  std::uint32_t partition = 0;
  Errc error = Errc::none;
  std::string message;
  std::uint64_t log_start = 0;
  std::uint64_t log_end = 0;
  storage::SegmentSlice slice;
};

struct OffsetLookup {
  std::uint32_t partition = 0;
  Errc error = Errc::none;
  std::int64_t offset = kNoOffset;  // kNoOffset: no record at or after the time
};

struct PartitionStats {
  std::uint32_t partition = 0;
  Errc error = Errc::none;
  std::uint64_t log_start = 0;
  std::uint64_t log_end = 0;
  std::uint64_t size_bytes = 0;
};

// What keeps a partition's oldest segment, and the rule in words.
struct PartitionRetentionInfo {
  std::uint32_t partition = 0;
  Errc error = Errc::none;
  storage::RetentionStatus status;
  std::string text;  // e.g. "time: expires in 6d 23h"
};

}  // namespace strata::broker
