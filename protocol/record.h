// One record inside a batch, and the reader that walks a batch's records.
// Kafka's record encoding (every varint zigzag-coded, as Kafka writes them):
//   varint  length             bytes of the record after this field
//   i8      attributes         unused, written 0
//   varlong timestamp_delta    relative to the batch's baseTimestamp
//   varint  offset_delta       0,1,2,... when produced
//   varint  key_length         -1 = null key (distinct from an empty key)
//   bytes   key
//   varint  value_length       -1 = null value
//   bytes   value
//   varint  header_count
//   header_count x { varint name_length, name, varint value_length
//                    (-1 = null), value }
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "protocol/byte_io.h"
#include "protocol/record_batch.h"

namespace strata::protocol {

struct RecordHeader {
  Bytes name;
  std::optional<Bytes> value;  // nullopt: a null header value
};

// A view into batch bytes (or a batch's decompressed records): valid while
// that buffer lives.
struct Record {
  std::uint64_t offset = 0;
  std::int64_t timestamp = 0;  // the append time for a LogAppendTime batch
  std::optional<Bytes> key;
  std::optional<Bytes> value;
  std::uint64_t header_count = 0;
  Bytes header_data;  // header_count encoded headers, already bounds-checked
};

[[nodiscard]] std::vector<RecordHeader> decode_headers(const Record& record);

[[nodiscard]] inline Bytes as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
[[nodiscard]] inline std::string_view as_string(Bytes b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// The uncompressed records of `batch` (a whole batch with this header): a
// view into it when the batch is not compressed, else decompressed into
// `scratch` (at most kMaxDecompressedBytes; beyond, decompressed_too_large).
[[nodiscard]] Result<Bytes> batch_records(Bytes batch, const BatchHeader& header,
                                          std::vector<std::uint8_t>& scratch);

// Walks records. Every step is bounds-checked, so it is safe on unvalidated
// bytes: next() returns false at the end or on the first malformed record,
// and error() tells which.
class RecordReader {
 public:
  // Over the records of an uncompressed whole batch. A batch shorter than
  // header.total_size() yields no records and error() truncated; a
  // compressed one, decompression_failed (use batch_records first).
  RecordReader(Bytes batch, const BatchHeader& header) noexcept;
  // Over records already taken out of their batch (batch_records).
  [[nodiscard]] static RecordReader over_records(Bytes records, const BatchHeader& header) noexcept;

  [[nodiscard]] bool next(Record& out) noexcept;
  [[nodiscard]] std::error_code error() const noexcept { return error_; }
  [[nodiscard]] std::size_t remaining_bytes() const noexcept { return reader_.remaining(); }

 private:
  RecordReader(Bytes records, const BatchHeader& header, std::error_code error) noexcept;

  ByteReader reader_;
  std::uint64_t base_offset_;
  std::int64_t base_timestamp_;
  std::optional<std::int64_t> append_time_;
  std::error_code error_;
};

}  // namespace strata::protocol
