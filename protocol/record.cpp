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

bool skip_headers(ByteReader& r, std::uint64_t count) noexcept {
  for (std::uint64_t i = 0; i < count; ++i) {
    (void)r.bytes(r.uvarint());
    (void)r.bytes(r.uvarint());
    if (!r.ok()) return false;
  }
  return true;
}

}  // namespace

RecordReader::RecordReader(Bytes batch, const BatchHeader& header) noexcept
    : reader_(batch.size() >= header.total_size() && header.total_size() >= batch_layout::kHeaderSize
                  ? batch.subspan(batch_layout::kHeaderSize, header.total_size() - batch_layout::kHeaderSize)
                  : Bytes{}),
      base_offset_(header.base_offset),
      first_timestamp_(header.first_timestamp) {
  if (header.total_size() < batch_layout::kHeaderSize) error_ = BatchErrc::invalid_length;
  else if (batch.size() < header.total_size()) error_ = BatchErrc::truncated;
}

bool RecordReader::next(Record& out) noexcept {
  if (error_ || reader_.remaining() == 0) return false;
  const std::uint64_t body_length = reader_.uvarint();
  ByteReader body(reader_.bytes(body_length));
  if (!reader_.ok()) {
    error_ = BatchErrc::malformed_record;
    return false;
  }
  const std::int64_t ts_delta = body.varint();
  const std::uint64_t offset_delta = body.uvarint();
  const bool fields_ok = body.ok() && read_nullable(body, out.key) && read_nullable(body, out.value);
  out.header_count = fields_ok ? body.uvarint() : 0;
  const std::uint8_t* headers_begin = body.position();
  if (!fields_ok || !body.ok() || !skip_headers(body, out.header_count) || body.remaining() != 0) {
    error_ = BatchErrc::malformed_record;
    return false;
  }
  out.header_data = Bytes{headers_begin, static_cast<std::size_t>(body.position() - headers_begin)};
  out.offset = base_offset_ + offset_delta;
  // Wrapping arithmetic: a hostile delta must not be signed overflow (UB).
  out.timestamp = static_cast<std::int64_t>(static_cast<std::uint64_t>(first_timestamp_) +
                                            static_cast<std::uint64_t>(ts_delta));
  return true;
}

std::vector<RecordHeader> decode_headers(const Record& record) {
  std::vector<RecordHeader> out;
  ByteReader r(record.header_data);
  for (std::uint64_t i = 0; i < record.header_count; ++i) {
    RecordHeader h;
    h.name = r.bytes(r.uvarint());
    h.value = r.bytes(r.uvarint());
    if (!r.ok()) break;  // unreachable for a record from RecordReader
    out.push_back(h);
  }
  return out;
}

}  // namespace strata::protocol
