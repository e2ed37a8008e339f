// The record-batch format: the unit a producer sends, the broker stores and a
// consumer receives, byte for byte (DESIGN decision 1). Layout, all integers
// little-endian (see storage/FORMAT.md for the drawing):
//
//   0  u64 base_offset      stamped by the broker; not checksummed
//   8  u32 batch_length     bytes after this field (total size - 12)
//  12  u64 checksum         XXH3-64 (seed 0) of bytes [20, 12 + batch_length)
//  20  u8  magic            format version, kFormatMagic
//  21  u8  attributes       must be 0 (no compression, create-time stamps)
//  22  u16 reserved         must be 0
//  24  i64 first_timestamp  ms since epoch; record timestamps are deltas to it
//  32  i64 max_timestamp    largest record timestamp
//  40  i64 producer_id      -1 when the producer has none
//  48  i32 base_sequence    -1 when the producer has none
//  52  u32 record_count     >= 1
//  56  records...
#pragma once

#include <cstddef>
#include <cstdint>

#include "protocol/batch_errc.h"
#include "protocol/byte_io.h"
#include "protocol/result.h"

namespace strata::protocol {

namespace batch_layout {
inline constexpr std::size_t kBaseOffset = 0;
inline constexpr std::size_t kBatchLength = 8;
inline constexpr std::size_t kChecksum = 12;
inline constexpr std::size_t kMagic = 20;
inline constexpr std::size_t kAttributes = 21;
inline constexpr std::size_t kReserved = 22;
inline constexpr std::size_t kFirstTimestamp = 24;
inline constexpr std::size_t kMaxTimestamp = 32;
inline constexpr std::size_t kProducerId = 40;
inline constexpr std::size_t kBaseSequence = 48;
inline constexpr std::size_t kRecordCount = 52;
inline constexpr std::size_t kHeaderSize = 56;
// Bytes a reader needs to find where the batch ends: base offset + length.
inline constexpr std::size_t kFramingSize = 12;
inline constexpr std::size_t kChecksummedFrom = 20;
}  // namespace batch_layout

inline constexpr std::uint8_t kFormatMagic = 1;
// Largest batch_length the format can describe with positions kept in u32.
inline constexpr std::size_t kMaxBatchBytes = std::size_t{1} << 30;

struct BatchHeader {
  std::uint64_t base_offset = 0;
  std::uint32_t batch_length = 0;
  std::uint64_t checksum = 0;
  std::uint8_t magic = kFormatMagic;
  std::uint8_t attributes = 0;
  std::int64_t first_timestamp = 0;
  std::int64_t max_timestamp = 0;
  std::int64_t producer_id = -1;
  std::int32_t base_sequence = -1;
  std::uint32_t record_count = 0;

  [[nodiscard]] std::size_t total_size() const noexcept {
    return batch_layout::kFramingSize + batch_length;
  }
  [[nodiscard]] std::uint64_t last_offset() const noexcept { return base_offset + record_count - 1; }
  [[nodiscard]] std::uint64_t next_offset() const noexcept { return base_offset + record_count; }
};

// Decodes and checks the fixed header only (version, attributes, length >=
// header, count >= 1). Does not look at the records or the checksum.
// Needs kHeaderSize bytes; fewer gives BatchErrc::truncated.
[[nodiscard]] Result<BatchHeader> decode_header(Bytes data) noexcept;

// Reads only the batch's total size from its first kFramingSize bytes.
// REQUIRES: data.size() >= kFramingSize.
[[nodiscard]] inline std::size_t framed_size(Bytes data) noexcept {
  return batch_layout::kFramingSize + load_le<std::uint32_t>(data.data() + batch_layout::kBatchLength);
}

[[nodiscard]] std::uint64_t compute_checksum(Bytes whole_batch) noexcept;

// Rewrites the base offset in place; the checksum does not cover it.
// REQUIRES: batch.size() >= kHeaderSize.
inline void stamp_base_offset(MutableBytes batch, std::uint64_t base_offset) noexcept {
  store_le(batch.data() + batch_layout::kBaseOffset, base_offset);
}

// Batches of one producer and partition a broker remembers, so the most an
// idempotent producer may have in flight there (PROTOCOL.md, Produce).
inline constexpr std::uint32_t kProducerBatchesKept = 5;

// The sequence number after a batch of `count` records from `first`:
// sequences count a producer's records per partition, 0..INT32_MAX, wrapping.
[[nodiscard]] std::int32_t next_sequence(std::int32_t first, std::uint32_t count) noexcept;

// Rewrites the producer id and base sequence of a finished batch and its
// checksum, which covers them (a producer renumbering unsent batches).
// REQUIRES: batch is a whole batch, batch.size() >= kHeaderSize.
void stamp_producer(MutableBytes batch, std::int64_t producer_id, std::int32_t base_sequence) noexcept;

}  // namespace strata::protocol
