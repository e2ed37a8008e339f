// Per-partition log settings; names and defaults follow Kafka's topic configs.
#pragma once

#include <cstdint>
#include <system_error>

namespace strata::storage {

// message.timestamp.type: whose clock a batch's time is.
enum class TimestampType : std::uint8_t { create_time = 0, log_append_time = 1 };

struct LogConfig {
  static constexpr std::int64_t kDisabled = -1;
  // Largest segment.bytes: index positions are u32 and a segment may exceed
  // segment.bytes by one batch.
  static constexpr std::uint64_t kMaxSegmentBytes = std::uint64_t{1} << 31;

  std::uint64_t segment_bytes = std::uint64_t{1} << 30;          // segment.bytes
  std::int64_t segment_ms = 7LL * 24 * 3600 * 1000;              // segment.ms, -1 = never
  std::int64_t retention_bytes = kDisabled;                      // retention.bytes, -1 = unbounded
  std::int64_t retention_ms = 7LL * 24 * 3600 * 1000;            // retention.ms, -1 = forever
  std::uint32_t index_interval_bytes = 4096;                     // index.interval.bytes
  // pagecache.keep.bytes: after each sync, synced log data more than this
  // far behind the log end is dropped from the page cache; -1 = the kernel
  // decides (Kafka's behaviour).
  std::int64_t pagecache_keep_bytes = kDisabled;
  // segment.jitter.ms: each segment's age roll comes up to this much (at
  // random, never more than segment.ms) early; 0 = every segment rolls at
  // exactly segment.ms.
  std::int64_t segment_jitter_ms = 0;
  // message.timestamp.type: with log_append_time the log stamps each batch
  // with its clock at append (the attribute bit, maxTimestamp, CRC).
  TimestampType timestamp_type = TimestampType::create_time;
  // message.timestamp.before.max.ms / after.max.ms: a CreateTime batch with
  // a record older / newer than the log's clock by more than this is
  // refused whole (StorageErrc::invalid_timestamp); -1 = no bound.
  std::int64_t timestamp_before_max_ms = kDisabled;
  std::int64_t timestamp_after_max_ms = 3'600'000;

  // StorageErrc::invalid_config when a value is out of range.
  [[nodiscard]] std::error_code validate() const noexcept;
};

}  // namespace strata::storage
