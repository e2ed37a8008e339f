#include "protocol/batch_validator.h"

#include <algorithm>
#include <limits>

#include "protocol/record.h"

namespace strata::protocol {

Result<BatchHeader> validate_batch(Bytes data, std::size_t max_batch_bytes) noexcept {
  if (data.size() < batch_layout::kFramingSize) return BatchErrc::truncated;
  const std::size_t declared = framed_size(data);
  if (declared > std::min(max_batch_bytes, kMaxBatchBytes)) return BatchErrc::too_large;
  STRATA_TRY(auto header, decode_header(data));
  if (data.size() < declared) return BatchErrc::truncated;
  if (data.size() > declared) return BatchErrc::invalid_length;
  if (compute_checksum(data) != header.checksum) return BatchErrc::checksum_mismatch;

  RecordReader reader(data, header);
  Record record;
  std::uint64_t count = 0;
  std::int64_t max_ts = std::numeric_limits<std::int64_t>::min();
  while (reader.next(record)) {
    if (record.offset - header.base_offset != count) return BatchErrc::offset_delta_mismatch;
    max_ts = std::max(max_ts, record.timestamp);
    ++count;
    if (count > header.record_count) return BatchErrc::record_count_mismatch;
  }
  if (reader.error()) return reader.error();
  if (count != header.record_count) return BatchErrc::record_count_mismatch;
  if (max_ts != header.max_timestamp) return BatchErrc::timestamp_mismatch;
  return header;
}

Result<ValidatedBatch> validate_for_append(MutableBytes data, std::size_t max_batch_bytes) noexcept {
  STRATA_TRY(auto header, validate_batch(data, max_batch_bytes));
  return ValidatedBatch(data, header);
}

}  // namespace strata::protocol
