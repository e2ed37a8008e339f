// One record inside a batch, and the cursor that walks a batch's records.
//
// Record layout (varints are LEB128; "signed" ones are zigzag-coded):
//   uvarint body_length        bytes that follow, up to the next record
//   varint  timestamp_delta    relative to the batch's first_timestamp
//   uvarint offset_delta       0,1,2,... within the batch
//   varint  key_length         -1 = null key (distinct from an empty key)
//   bytes   key
//   varint  value_length       -1 = null value
//   bytes   value
//   uvarint header_count
//   header_count x { uvarint name_length, name, uvarint value_length, value }
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
  Bytes value;
};

// A view into batch bytes: valid while the batch buffer lives.
struct Record {
  std::uint64_t offset = 0;
  std::int64_t timestamp = 0;
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

// Walks the records of one batch. Every step is bounds-checked, so it is safe
// on unvalidated bytes: next() returns false at the end or on the first
// malformed record, and error() tells which.
class RecordReader {
 public:
  // A batch shorter than header.total_size() yields no records and error()
  // truncated; a header whose length is below the header size, invalid_length.
  RecordReader(Bytes batch, const BatchHeader& header) noexcept;

  [[nodiscard]] bool next(Record& out) noexcept;
  [[nodiscard]] std::error_code error() const noexcept { return error_; }
  [[nodiscard]] std::size_t remaining_bytes() const noexcept { return reader_.remaining(); }

 private:
  ByteReader reader_;
  std::uint64_t base_offset_;
  std::int64_t first_timestamp_;
  std::error_code error_;
};

}  // namespace strata::protocol
