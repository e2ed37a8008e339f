// The record batch: Kafka's RecordBatch v2, byte for byte (DESIGN decision
// 11). The unit a producer sends, the broker stores and a consumer receives
// unchanged; the broker only stamps the two fields outside the CRC. All
// header integers are big-endian (storage/FORMAT.md has the drawing):
//
//   0  i64 baseOffset            stamped by the broker; not in the CRC
//   8  i32 batchLength           bytes after this field (total size - 12)
//  12  i32 partitionLeaderEpoch  stamped by the broker; not in the CRC
//  16  i8  magic                 2
//  17  u32 crc                   CRC-32C of bytes [21, 12 + batchLength)
//  21  i16 attributes            bits 0-2 codec, 3 timestamp type,
//                                4 transactional, 5 control
//  23  i32 lastOffsetDelta       recordCount - 1 when produced
//  27  i64 baseTimestamp         record timestamps are deltas to it
//  35  i64 maxTimestamp          largest record timestamp
//  43  i64 producerId            -1 when the producer has none
//  51  i16 producerEpoch
//  53  i32 baseSequence          -1 when the producer has none
//  57  i32 recordCount
//  61  records (compressed as a whole when the codec bits say so)
#pragma once

#include <cstddef>
#include <cstdint>

#include "protocol/batch_errc.h"
#include "protocol/byte_io.h"
#include "protocol/compression.h"
#include "protocol/base/result.h"

namespace strata::protocol {

namespace batch_layout {
inline constexpr std::size_t kBaseOffset = 0;
inline constexpr std::size_t kBatchLength = 8;
inline constexpr std::size_t kLeaderEpoch = 12;
inline constexpr std::size_t kMagic = 16;
inline constexpr std::size_t kCrc = 17;
inline constexpr std::size_t kAttributes = 21;
inline constexpr std::size_t kLastOffsetDelta = 23;
inline constexpr std::size_t kBaseTimestamp = 27;
inline constexpr std::size_t kMaxTimestamp = 35;
inline constexpr std::size_t kProducerId = 43;
inline constexpr std::size_t kProducerEpoch = 51;
inline constexpr std::size_t kBaseSequence = 53;
inline constexpr std::size_t kRecordCount = 57;
inline constexpr std::size_t kHeaderSize = 61;
// Bytes a reader needs to find where the batch ends: base offset + length.
inline constexpr std::size_t kFramingSize = 12;
inline constexpr std::size_t kCrcFrom = kAttributes;
}  // namespace batch_layout

inline constexpr std::uint8_t kFormatMagic = 2;
// Largest batchLength strata accepts, so positions fit in u32 files.
inline constexpr std::size_t kMaxBatchBytes = std::size_t{1} << 30;

namespace batch_attributes {
inline constexpr std::uint16_t kCompressionMask = 0x07;
inline constexpr std::uint16_t kLogAppendTime = 0x08;
inline constexpr std::uint16_t kTransactional = 0x10;
inline constexpr std::uint16_t kControl = 0x20;
// Every bit strata reads; any other is refused (FORMAT.md says why).
inline constexpr std::uint16_t kKnown = kCompressionMask | kLogAppendTime;
}  // namespace batch_attributes

struct BatchHeader {
  std::uint64_t base_offset = 0;
  std::uint32_t batch_length = 0;
  std::int32_t leader_epoch = -1;
  std::uint8_t magic = kFormatMagic;
  std::uint32_t crc = 0;
  std::uint16_t attributes = 0;
  std::uint32_t last_offset_delta = 0;
  std::int64_t base_timestamp = 0;
  std::int64_t max_timestamp = 0;
  std::int64_t producer_id = -1;
  std::int16_t producer_epoch = -1;
  std::int32_t base_sequence = -1;
  std::uint32_t record_count = 0;

  [[nodiscard]] std::size_t total_size() const noexcept {
    return batch_layout::kFramingSize + batch_length;
  }
  [[nodiscard]] std::uint64_t last_offset() const noexcept { return base_offset + last_offset_delta; }
  [[nodiscard]] std::uint64_t next_offset() const noexcept { return base_offset + last_offset_delta + 1; }
  [[nodiscard]] Compression compression() const noexcept {
    return static_cast<Compression>(attributes & batch_attributes::kCompressionMask);
  }
  [[nodiscard]] bool log_append_time() const noexcept {
    return (attributes & batch_attributes::kLogAppendTime) != 0;
  }
};

// Decodes and checks the fixed header only: magic, attributes, length >=
// header, 0 <= recordCount <= lastOffsetDelta + 1 (a reader's rule: a batch
// emptied by compaction keeps its offset range). Does not look at the
// records or the CRC. Needs kHeaderSize bytes; fewer gives truncated.
[[nodiscard]] Result<BatchHeader> decode_header(Bytes data) noexcept;

// Reads only the batch's total size from its first kFramingSize bytes.
// REQUIRES: data.size() >= kFramingSize.
[[nodiscard]] inline std::size_t framed_size(Bytes data) noexcept {
  return batch_layout::kFramingSize + load_be<std::uint32_t>(data.data() + batch_layout::kBatchLength);
}

// CRC-32C of the bytes the crc field covers. REQUIRES: size >= kHeaderSize.
[[nodiscard]] std::uint32_t compute_crc(Bytes whole_batch) noexcept;

// Rewrites the base offset and leader epoch in place; the CRC covers
// neither. REQUIRES: batch.size() >= kHeaderSize.
inline void stamp_base_offset(MutableBytes batch, std::uint64_t base_offset) noexcept {
  store_be(batch.data() + batch_layout::kBaseOffset, base_offset);
}
inline void stamp_leader_epoch(MutableBytes batch, std::int32_t epoch) noexcept {
  store_be(batch.data() + batch_layout::kLeaderEpoch, epoch);
}

// Sets maxTimestamp and recomputes the CRC: the one repair the broker makes
// to a batch's checksummed bytes (a producer that left it wrong, as kafkajs
// does). REQUIRES: a whole batch.
void stamp_max_timestamp(MutableBytes batch, std::int64_t max_timestamp) noexcept;
// A LogAppendTime topic's stamp, as Kafka's v2 format defines it: sets the
// timestamp-type attribute bit and maxTimestamp = append_time, and
// recomputes the CRC once. Readers then report append_time for every
// record; the records' own timestamps stay in the bytes. REQUIRES: a whole
// batch.
void stamp_log_append_time(MutableBytes batch, std::int64_t append_time) noexcept;

// Batches of one producer and partition a broker remembers, so the most an
// idempotent producer may have in flight there (PROTOCOL.md, Produce).
inline constexpr std::uint32_t kProducerBatchesKept = 5;

// The sequence number after a batch of `count` records from `first`:
// sequences count a producer's records per partition, 0..INT32_MAX, wrapping.
[[nodiscard]] std::int32_t next_sequence(std::int32_t first, std::uint32_t count) noexcept;

// Rewrites the producer id, epoch and base sequence of a finished batch and
// its CRC, which covers them. REQUIRES: a whole batch.
void stamp_producer(MutableBytes batch, std::int64_t producer_id, std::int16_t producer_epoch,
                    std::int32_t base_sequence) noexcept;

}  // namespace strata::protocol
