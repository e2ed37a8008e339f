// Client-side assembly of one RecordBatch v2 (record_batch.h), compressed
// as a whole by finish() when a codec is set. Not thread-safe; one builder
// per partition being batched.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "protocol/record.h"

namespace strata::protocol {

class BatchBuilder {
 public:
  explicit BatchBuilder(Compression compression = Compression::none);

  // Records keep the order of add(). Key and value may be null (nullopt),
  // which the format keeps distinct from empty.
  void add(std::int64_t timestamp, std::optional<Bytes> key, std::optional<Bytes> value,
           std::span<const RecordHeader> headers = {});

  // The codec finish() compresses with. REQUIRES: empty().
  void set_compression(Compression compression) noexcept { compression_ = compression; }

  void set_producer(std::int64_t producer_id, std::int16_t producer_epoch, std::int32_t base_sequence) noexcept {
    producer_id_ = producer_id;
    producer_epoch_ = producer_epoch;
    base_sequence_ = base_sequence;
  }

  // add(), unless the builder holds a record already and the batch would
  // then be larger than limit_bytes: returns whether the record was added
  // (a first record always is, whatever its size).
  [[nodiscard]] bool try_add(std::size_t limit_bytes, std::int64_t timestamp, std::optional<Bytes> key,
                             std::optional<Bytes> value, std::span<const RecordHeader> headers = {});

  // The size of an uncompressed batch holding only this record: what a
  // topic's max.message.bytes must allow for the record to be stored.
  [[nodiscard]] static std::size_t single_record_bytes(const std::optional<Bytes>& key,
                                                       const std::optional<Bytes>& value,
                                                       std::span<const RecordHeader> headers = {}) noexcept;

  [[nodiscard]] std::size_t record_count() const noexcept { return count_; }
  // The size the finished batch will have uncompressed (an upper bound, in
  // practice, of its compressed size).
  [[nodiscard]] std::size_t size_bytes() const noexcept { return buffer_.size(); }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }

  // Capacity for a batch of `bytes` (header included), so add() does not
  // grow the buffer by doubling into fresh memory. Any time; never shrinks.
  void reserve(std::size_t bytes) { buffer_.reserve(bytes); }
  // Builds the next batch in `spare`, the bytes of an earlier finish() the
  // caller is done with: its capacity (memory already faulted in) is reused.
  // REQUIRES: empty(). A spare smaller than the current buffer is dropped.
  void reuse(std::vector<std::uint8_t> spare) noexcept;

  // Compresses the records if a codec is set, fills in the header and CRC
  // and hands the bytes over; the builder is empty again afterwards.
  // REQUIRES: !empty() and size_bytes() <= kMaxBatchBytes (std::length_error
  // otherwise: callers flush by size).
  [[nodiscard]] std::vector<std::uint8_t> finish();

 private:
  [[nodiscard]] std::int64_t timestamp_delta(std::int64_t timestamp) const noexcept;
  [[nodiscard]] std::size_t body_size(std::int64_t ts_delta, const std::optional<Bytes>& key,
                                      const std::optional<Bytes>& value,
                                      std::span<const RecordHeader> headers) const noexcept;

  void write_header(std::vector<std::uint8_t>& batch) const noexcept;

  std::vector<std::uint8_t> buffer_;
  Compression compression_;
  std::uint32_t count_ = 0;
  std::int64_t base_timestamp_ = 0;
  std::int64_t max_timestamp_ = 0;
  std::int64_t producer_id_ = -1;
  std::int16_t producer_epoch_ = -1;
  std::int32_t base_sequence_ = -1;
};

}  // namespace strata::protocol
