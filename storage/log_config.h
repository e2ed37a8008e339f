// Per-partition log settings; names and defaults follow Kafka's topic configs.
#pragma once

#include <cstdint>
#include <system_error>

namespace strata::storage {

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

  // StorageErrc::invalid_config when a value is out of range.
  [[nodiscard]] std::error_code validate() const noexcept;
};

}  // namespace strata::storage
