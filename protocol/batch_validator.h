// Full validation of an untrusted record batch: framing, header, CRC and
// every record (decompressed as a stream when the batch is compressed). The
// gate every batch passes before the broker stores it, before recovery
// accepts it from disk and before a consumer hands out its records.
#pragma once

#include <cstddef>

#include "protocol/record_batch.h"

namespace strata::protocol {

// Checks `data` is exactly one well-formed stored batch of at most
// max_batch_bytes in total, under the reader's rules (offsets increasing
// within lastOffsetDelta; maxTimestamp must be right). Order of checks:
// size limit before CRC, CRC before records, so a lying length is never
// followed. Returns the decoded header.
[[nodiscard]] Result<BatchHeader> validate_batch(Bytes data, std::size_t max_batch_bytes) noexcept;

// The framing, header and CRC of a stored batch only: what a reader that
// walks the records itself with RecordReader (and checks their count and
// offsets, as the consumer does) needs, without walking them twice.
[[nodiscard]] Result<BatchHeader> verify_batch(Bytes data, std::size_t max_batch_bytes) noexcept;

// A batch that passed validate_for_append, with mutable bytes so the log can
// stamp its base offset and leader epoch. Only validate_for_append makes one.
class ValidatedBatch {
 public:
  [[nodiscard]] MutableBytes bytes() const noexcept { return bytes_; }
  [[nodiscard]] const BatchHeader& header() const noexcept { return header_; }
  // The smallest record timestamp (header().max_timestamp is the largest):
  // with it the log checks every record against its timestamp bounds.
  [[nodiscard]] std::int64_t min_timestamp() const noexcept { return min_timestamp_; }

 private:
  friend Result<ValidatedBatch> validate_for_append(MutableBytes, std::size_t) noexcept;
  ValidatedBatch(MutableBytes bytes, const BatchHeader& header, std::int64_t min_timestamp) noexcept
      : bytes_(bytes), header_(header), min_timestamp_(min_timestamp) {}
  MutableBytes bytes_;
  BatchHeader header_;
  std::int64_t min_timestamp_;
};

// The producer's rules (Kafka's): recordCount >= 1, lastOffsetDelta =
// recordCount - 1, offset deltas 0,1,2,..., no LogAppendTime bit (the topic
// decides the timestamp type). A maxTimestamp that is not the largest record
// timestamp is repaired in place (CRC recomputed), not refused.
// Lifetime: the result views `data`; the caller keeps the buffer alive.
[[nodiscard]] Result<ValidatedBatch> validate_for_append(MutableBytes data, std::size_t max_batch_bytes) noexcept;

}  // namespace strata::protocol
