#include "protocol/record.h"

#include <limits>

namespace strata::protocol {
namespace {

// Reads a signed length where -1 means null; anything below -1 is malformed.
bool read_nullable(ByteReader& r, std::optional<Bytes>& out) noexcept {
  const std::int64_t len = r.varint();
  if (!r.ok() || len < -1) return false;
  if (len == -1) {
    out.reset();
    return true;
  }
  out = r.bytes(static_cast<std::size_t>(len));
  return r.ok();
}

bool read_header(ByteReader& r, RecordHeader& out) noexcept {
  const std::int64_t name_len = r.varint();
  if (!r.ok() || name_len < 0) return false;
  out.name = r.bytes(static_cast<std::size_t>(name_len));
  return read_nullable(r, out.value);
}

bool skip_headers(ByteReader& r, std::uint64_t count) noexcept {
  RecordHeader h;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (!read_header(r, h)) return false;
  }
  return true;
}

std::error_code framing_error(Bytes batch, const BatchHeader& header) noexcept {
  if (header.total_size() < batch_layout::kHeaderSize) return BatchErrc::invalid_length;
  if (batch.size() < header.total_size()) return BatchErrc::truncated;
  if (header.compression() != Compression::none) return BatchErrc::decompression_failed;
  return {};
}

Bytes records_view(Bytes batch, const BatchHeader& header) noexcept {
  return batch.subspan(batch_layout::kHeaderSize, header.total_size() - batch_layout::kHeaderSize);
}

}  // namespace

Result<Bytes> batch_records(Bytes batch, const BatchHeader& header, std::vector<std::uint8_t>& scratch) {
  if (header.total_size() < batch_layout::kHeaderSize) return BatchErrc::invalid_length;
  if (batch.size() < header.total_size()) return BatchErrc::truncated;
  const Bytes stored = records_view(batch, header);
  if (header.compression() == Compression::none) return stored;
  if (auto ec = decompress_all(header.compression(), stored, scratch)) return ec;
  return Bytes{scratch};
}

RecordReader::RecordReader(Bytes records, const BatchHeader& header, std::error_code error) noexcept
    : reader_(error ? Bytes{} : records),
      base_offset_(header.base_offset),
      base_timestamp_(header.base_timestamp),
      error_(error) {
  if (header.log_append_time()) append_time_ = header.max_timestamp;
}

RecordReader::RecordReader(Bytes batch, const BatchHeader& header) noexcept
    : RecordReader(Bytes{}, header, framing_error(batch, header)) {
  if (!error_) reader_ = ByteReader(records_view(batch, header));  // framing checked once, above
}

RecordReader RecordReader::over_records(Bytes records, const BatchHeader& header) noexcept {
  return RecordReader(records, header, {});
}

bool RecordReader::next(Record& out) noexcept {
  if (error_ || reader_.remaining() == 0) return false;
  const std::int64_t length = reader_.varint();
  ByteReader body(length >= 0 ? reader_.bytes(static_cast<std::size_t>(length)) : Bytes{});
  if (!reader_.ok() || length < 0) {
    error_ = BatchErrc::malformed_record;
    return false;
  }
  (void)body.fixed<std::uint8_t>();  // record attributes: unused
  const std::int64_t ts_delta = body.varint();
  const std::int64_t offset_delta = body.varint();
  const bool fields_ok = body.ok() && offset_delta >= 0 && offset_delta <= std::numeric_limits<std::int32_t>::max() &&
                         read_nullable(body, out.key) && read_nullable(body, out.value);
  const std::int64_t header_count = fields_ok ? body.varint() : -1;
  const std::uint8_t* headers_begin = body.position();
  if (!fields_ok || !body.ok() || header_count < 0 ||
      !skip_headers(body, static_cast<std::uint64_t>(header_count)) || body.remaining() != 0) {
    error_ = BatchErrc::malformed_record;
    return false;
  }
  out.header_count = static_cast<std::uint64_t>(header_count);
  out.header_data = Bytes{headers_begin, static_cast<std::size_t>(body.position() - headers_begin)};
  out.offset = base_offset_ + static_cast<std::uint64_t>(offset_delta);
  // Wrapping arithmetic: a hostile delta must not be signed overflow (UB).
  out.timestamp = append_time_ ? *append_time_
                               : static_cast<std::int64_t>(static_cast<std::uint64_t>(base_timestamp_) +
                                                           static_cast<std::uint64_t>(ts_delta));
  return true;
}

std::vector<RecordHeader> decode_headers(const Record& record) {
  std::vector<RecordHeader> out;
  ByteReader r(record.header_data);
  RecordHeader h;
  for (std::uint64_t i = 0; i < record.header_count; ++i) {
    if (!read_header(r, h)) break;  // unreachable for a record from RecordReader
    out.push_back(h);
  }
  return out;
}

}  // namespace strata::protocol
