#include "protocol/batch_builder.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <stdexcept>

namespace strata::protocol {

using namespace batch_layout;

namespace {

std::size_t nullable_size(const std::optional<Bytes>& b) noexcept {
  return b ? varint_size(static_cast<std::int64_t>(b->size())) + b->size() : varint_size(-1);
}

std::uint8_t* put_nullable(std::uint8_t* p, const std::optional<Bytes>& b) noexcept {
  if (!b) return put_varint(p, -1);
  p = put_varint(p, static_cast<std::int64_t>(b->size()));
  if (!b->empty()) std::memcpy(p, b->data(), b->size());
  return p + b->size();
}

std::size_t header_size(const RecordHeader& h) noexcept {
  return varint_size(static_cast<std::int64_t>(h.name.size())) + h.name.size() + nullable_size(h.value);
}

// A record's bytes after its length varint.
std::size_t record_body_size(std::int64_t ts_delta, std::uint32_t offset_delta, const std::optional<Bytes>& key,
                             const std::optional<Bytes>& value, std::span<const RecordHeader> headers) noexcept {
  std::size_t body = 1 + varint_size(ts_delta) + varint_size(offset_delta) + nullable_size(key) +
                     nullable_size(value) + varint_size(static_cast<std::int64_t>(headers.size()));
  for (const auto& h : headers) body += header_size(h);
  return body;
}

}  // namespace

BatchBuilder::BatchBuilder(Compression compression) : compression_(compression) { buffer_.resize(kHeaderSize); }

std::int64_t BatchBuilder::timestamp_delta(std::int64_t timestamp) const noexcept {
  // Wrapping difference: the reader adds it back with wrapping arithmetic, so
  // any pair of timestamps round-trips without signed overflow.
  const std::int64_t first = count_ == 0 ? timestamp : base_timestamp_;
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(timestamp) - static_cast<std::uint64_t>(first));
}

std::size_t BatchBuilder::body_size(std::int64_t ts_delta, const std::optional<Bytes>& key,
                                    const std::optional<Bytes>& value,
                                    std::span<const RecordHeader> headers) const noexcept {
  return record_body_size(ts_delta, count_, key, value, headers);
}

std::size_t BatchBuilder::single_record_bytes(const std::optional<Bytes>& key, const std::optional<Bytes>& value,
                                              std::span<const RecordHeader> headers) noexcept {
  const std::size_t body = record_body_size(0, 0, key, value, headers);
  return kHeaderSize + varint_size(static_cast<std::int64_t>(body)) + body;
}

void BatchBuilder::add(std::int64_t timestamp, std::optional<Bytes> key, std::optional<Bytes> value,
                       std::span<const RecordHeader> headers) {
  (void)try_add(std::numeric_limits<std::size_t>::max(), timestamp, key, value, headers);
}

bool BatchBuilder::try_add(std::size_t limit_bytes, std::int64_t timestamp, std::optional<Bytes> key,
                           std::optional<Bytes> value, std::span<const RecordHeader> headers) {
  const std::int64_t ts_delta = timestamp_delta(timestamp);
  const std::size_t body = body_size(ts_delta, key, value, headers);
  const std::size_t old_size = buffer_.size();
  const std::size_t framed = varint_size(static_cast<std::int64_t>(body)) + body;
  if (count_ > 0 && old_size + framed > limit_bytes) return false;
  if (count_ == 0) {
    base_timestamp_ = timestamp;
    max_timestamp_ = timestamp;
  }
  max_timestamp_ = std::max(max_timestamp_, timestamp);
  buffer_.resize(old_size + framed);
  std::uint8_t* p = buffer_.data() + old_size;
  p = put_varint(p, static_cast<std::int64_t>(body));
  *p++ = 0;  // record attributes
  p = put_varint(p, ts_delta);
  p = put_varint(p, count_);
  p = put_nullable(p, key);
  p = put_nullable(p, value);
  p = put_varint(p, static_cast<std::int64_t>(headers.size()));
  for (const auto& h : headers) {
    p = put_nullable(p, h.name);
    p = put_nullable(p, h.value);
  }
  assert(p == buffer_.data() + buffer_.size());
  ++count_;
  return true;
}

void BatchBuilder::reuse(std::vector<std::uint8_t> spare) noexcept {
  assert(count_ == 0);
  if (spare.capacity() <= buffer_.capacity() || spare.capacity() < kHeaderSize) return;
  spare.resize(kHeaderSize);  // within capacity: no allocation
  buffer_.swap(spare);
}

void BatchBuilder::write_header(std::vector<std::uint8_t>& batch) const noexcept {
  std::uint8_t* p = batch.data();
  store_be<std::uint64_t>(p + kBaseOffset, 0);
  store_be(p + kBatchLength, static_cast<std::uint32_t>(batch.size() - kFramingSize));
  store_be<std::int32_t>(p + kLeaderEpoch, -1);
  p[kMagic] = kFormatMagic;
  store_be(p + kAttributes, static_cast<std::uint16_t>(compression_));
  store_be(p + kLastOffsetDelta, static_cast<std::int32_t>(count_ - 1));
  store_be(p + kBaseTimestamp, base_timestamp_);
  store_be(p + kMaxTimestamp, max_timestamp_);
  store_be(p + kProducerId, producer_id_);
  store_be(p + kProducerEpoch, producer_epoch_);
  store_be(p + kBaseSequence, base_sequence_);
  store_be(p + kRecordCount, static_cast<std::int32_t>(count_));
  store_be(p + kCrc, compute_crc(batch));
}

std::vector<std::uint8_t> BatchBuilder::finish() {
  assert(count_ > 0);
  if (buffer_.size() > kMaxBatchBytes) {
    throw std::length_error("BatchBuilder: batch exceeds the format's maximum size; flush earlier");
  }
  std::vector<std::uint8_t> out;
  if (compression_ == Compression::none) {
    out.swap(buffer_);
    buffer_.resize(kHeaderSize);
  } else {
    out.resize(kHeaderSize);
    compress(compression_, Bytes{buffer_}.subspan(kHeaderSize), out);
    buffer_.resize(kHeaderSize);  // keeps its capacity for the next batch
  }
  write_header(out);
  count_ = 0;
  return out;
}

}  // namespace strata::protocol
