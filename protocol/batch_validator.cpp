#include "protocol/batch_validator.h"

#include <limits>

#include <algorithm>
#include <new>

#include "protocol/decompressed_reader.h"
#include "protocol/record_check.h"

namespace strata::protocol {
namespace {

struct Checked {
  BatchHeader header;
  RecordTally tally;
};

std::error_code check_body(Bytes data, const BatchHeader& header, OffsetRule rule, RecordTally& tally) noexcept {
  const Bytes stored = data.subspan(batch_layout::kHeaderSize);
  if (header.compression() == Compression::none) {
    ByteReader in(stored);
    return check_records(in, header, rule, tally);
  }
  try {
    auto source = make_decompressor(header.compression(), stored);
    DecompressedReader in(*source, kMaxDecompressedBytes);
    return check_records(in, header, rule, tally);
  } catch (const std::bad_alloc&) {
    return BatchErrc::decompression_failed;  // a codec that could not allocate its state
  }
}

// A stored batch's last offset must not wrap past the largest offset (a
// wrapped one would put record offsets past it). A produced batch's
// baseOffset is the broker's to stamp, so only stored batches are held to
// this.
bool offsets_fit(const BatchHeader& h) noexcept {
  return h.last_offset_delta <= std::numeric_limits<std::uint64_t>::max() - h.base_offset;
}

// Framing and header, in the documented order (FORMAT.md).
Result<BatchHeader> frame(Bytes data, std::size_t max_batch_bytes) noexcept {
  if (data.size() < batch_layout::kFramingSize) return BatchErrc::truncated;
  const std::size_t declared = framed_size(data);
  if (declared > std::min(max_batch_bytes, kMaxBatchBytes)) return BatchErrc::too_large;
  STRATA_TRY(auto header, decode_header(data));
  if (data.size() < declared) return BatchErrc::truncated;
  if (data.size() > declared) return BatchErrc::invalid_length;
  return header;
}

Result<Checked> check(Bytes data, std::size_t max_batch_bytes, OffsetRule rule) noexcept {
  STRATA_TRY(auto header, frame(data, max_batch_bytes));
  if (rule == OffsetRule::increasing && !offsets_fit(header)) return BatchErrc::offset_overflow;
  if (rule == OffsetRule::dense) {
    if (header.record_count == 0) return BatchErrc::empty_batch;
    if (header.last_offset_delta != header.record_count - 1) return BatchErrc::last_offset_delta_mismatch;
    if (header.log_append_time()) return BatchErrc::unsupported_attributes;
  }
  if (compute_crc(data) != header.crc) return BatchErrc::checksum_mismatch;
  Checked out{header, {}};
  if (auto ec = check_body(data, header, rule, out.tally)) return ec;
  return out;
}

}  // namespace

Result<BatchHeader> verify_batch(Bytes data, std::size_t max_batch_bytes) noexcept {
  STRATA_TRY(auto header, frame(data, max_batch_bytes));
  if (!offsets_fit(header)) return BatchErrc::offset_overflow;
  if (compute_crc(data) != header.crc) return BatchErrc::checksum_mismatch;
  return header;
}

Result<BatchHeader> validate_batch(Bytes data, std::size_t max_batch_bytes) noexcept {
  STRATA_TRY(auto checked, check(data, max_batch_bytes, OffsetRule::increasing));
  const BatchHeader& h = checked.header;
  if (h.record_count > 0 && !h.log_append_time() && checked.tally.max_timestamp != h.max_timestamp) {
    return BatchErrc::timestamp_mismatch;
  }
  return h;
}

Result<ValidatedBatch> validate_for_append(MutableBytes data, std::size_t max_batch_bytes) noexcept {
  STRATA_TRY(auto checked, check(data, max_batch_bytes, OffsetRule::dense));
  if (checked.tally.max_timestamp != checked.header.max_timestamp) {
    stamp_max_timestamp(data, checked.tally.max_timestamp);
    checked.header.max_timestamp = checked.tally.max_timestamp;
    checked.header.crc = load_be<std::uint32_t>(data.data() + batch_layout::kCrc);
  }
  return ValidatedBatch(data, checked.header, checked.tally.min_timestamp);
}

}  // namespace strata::protocol
