#include "protocol/record_batch.h"

#include <limits>

#include "protocol/crc32c.h"

namespace strata::protocol {

using namespace batch_layout;

Result<BatchHeader> decode_header(Bytes data) noexcept {
  if (data.size() < kHeaderSize) return BatchErrc::truncated;
  const std::uint8_t* p = data.data();
  BatchHeader h;
  h.base_offset = load_be<std::uint64_t>(p + kBaseOffset);
  h.batch_length = load_be<std::uint32_t>(p + kBatchLength);
  h.leader_epoch = load_be<std::int32_t>(p + kLeaderEpoch);
  h.magic = p[kMagic];
  h.crc = load_be<std::uint32_t>(p + kCrc);
  h.attributes = load_be<std::uint16_t>(p + kAttributes);
  const auto last_delta = load_be<std::int32_t>(p + kLastOffsetDelta);
  h.base_timestamp = load_be<std::int64_t>(p + kBaseTimestamp);
  h.max_timestamp = load_be<std::int64_t>(p + kMaxTimestamp);
  h.producer_id = load_be<std::int64_t>(p + kProducerId);
  h.producer_epoch = load_be<std::int16_t>(p + kProducerEpoch);
  h.base_sequence = load_be<std::int32_t>(p + kBaseSequence);
  const auto count = load_be<std::int32_t>(p + kRecordCount);

  if (h.batch_length < kHeaderSize - kFramingSize || h.batch_length > std::numeric_limits<std::int32_t>::max()) {
    return BatchErrc::invalid_length;
  }
  if (h.magic != kFormatMagic) return BatchErrc::unsupported_version;
  if ((h.attributes & batch_attributes::kTransactional) != 0 || (h.attributes & batch_attributes::kControl) != 0) {
    return BatchErrc::unsupported_transactional;
  }
  if ((h.attributes & ~batch_attributes::kKnown) != 0) return BatchErrc::unsupported_attributes;
  if (static_cast<unsigned>(h.compression()) > static_cast<unsigned>(Compression::zstd)) {
    return BatchErrc::unsupported_compression;
  }
  if (count < 0 || last_delta < 0 || static_cast<std::int64_t>(count) - 1 > last_delta) {
    return BatchErrc::record_count_mismatch;
  }
  h.record_count = static_cast<std::uint32_t>(count);
  h.last_offset_delta = static_cast<std::uint32_t>(last_delta);
  return h;
}

std::uint32_t compute_crc(Bytes whole_batch) noexcept { return crc32c(whole_batch.subspan(kCrcFrom)); }

void stamp_max_timestamp(MutableBytes batch, std::int64_t max_timestamp) noexcept {
  store_be(batch.data() + kMaxTimestamp, max_timestamp);
  store_be(batch.data() + kCrc, compute_crc(batch));
}

void stamp_log_append_time(MutableBytes batch, std::int64_t append_time) noexcept {
  const auto attributes = load_be<std::uint16_t>(batch.data() + kAttributes);
  store_be(batch.data() + kAttributes, static_cast<std::uint16_t>(attributes | batch_attributes::kLogAppendTime));
  store_be(batch.data() + kMaxTimestamp, append_time);
  store_be(batch.data() + kCrc, compute_crc(batch));
}

std::int32_t next_sequence(std::int32_t first, std::uint32_t count) noexcept {
  constexpr std::uint64_t kSequenceSpace = std::uint64_t{1} << 31;
  return static_cast<std::int32_t>((static_cast<std::uint64_t>(first) + count) % kSequenceSpace);
}

void stamp_producer(MutableBytes batch, std::int64_t producer_id, std::int16_t producer_epoch,
                    std::int32_t base_sequence) noexcept {
  store_be(batch.data() + kProducerId, producer_id);
  store_be(batch.data() + kProducerEpoch, producer_epoch);
  store_be(batch.data() + kBaseSequence, base_sequence);
  store_be(batch.data() + kCrc, compute_crc(batch));
}

}  // namespace strata::protocol
