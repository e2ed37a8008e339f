#include "protocol/record_batch.h"

#include <xxhash.h>

namespace strata::protocol {

using namespace batch_layout;

Result<BatchHeader> decode_header(Bytes data) noexcept {
  if (data.size() < kHeaderSize) return BatchErrc::truncated;
  const std::uint8_t* p = data.data();
  BatchHeader h;
  h.base_offset = load_le<std::uint64_t>(p + kBaseOffset);
  h.batch_length = load_le<std::uint32_t>(p + kBatchLength);
  h.checksum = load_le<std::uint64_t>(p + kChecksum);
  h.magic = p[kMagic];
  h.attributes = p[kAttributes];
  const auto reserved = load_le<std::uint16_t>(p + kReserved);
  h.first_timestamp = load_le<std::int64_t>(p + kFirstTimestamp);
  h.max_timestamp = load_le<std::int64_t>(p + kMaxTimestamp);
  h.producer_id = load_le<std::int64_t>(p + kProducerId);
  h.base_sequence = load_le<std::int32_t>(p + kBaseSequence);
  h.record_count = load_le<std::uint32_t>(p + kRecordCount);

  if (h.batch_length < kHeaderSize - kFramingSize) return BatchErrc::invalid_length;
  if (h.magic != kFormatMagic) return BatchErrc::unsupported_version;
  if (h.attributes != 0 || reserved != 0) return BatchErrc::unsupported_attributes;
  if (h.record_count == 0) return BatchErrc::empty_batch;
  return h;
}

std::uint64_t compute_checksum(Bytes whole_batch) noexcept {
  return XXH3_64bits(whole_batch.data() + kChecksummedFrom, whole_batch.size() - kChecksummedFrom);
}

std::int32_t next_sequence(std::int32_t first, std::uint32_t count) noexcept {
  constexpr std::uint64_t kSequenceSpace = std::uint64_t{1} << 31;
  return static_cast<std::int32_t>((static_cast<std::uint64_t>(first) + count) % kSequenceSpace);
}

void stamp_producer(MutableBytes batch, std::int64_t producer_id, std::int32_t base_sequence) noexcept {
  store_le(batch.data() + batch_layout::kProducerId, producer_id);
  store_le(batch.data() + batch_layout::kBaseSequence, base_sequence);
  store_le(batch.data() + batch_layout::kChecksum, compute_checksum(batch));
}

}  // namespace strata::protocol
