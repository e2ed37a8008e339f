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

std::uint8_t* put_blob(std::uint8_t* p, Bytes b) noexcept {
  p = put_uvarint(p, b.size());
  if (!b.empty()) std::memcpy(p, b.data(), b.size());
  return p + b.size();
}

}  // namespace

BatchBuilder::BatchBuilder() { buffer_.resize(kHeaderSize); }

std::int64_t BatchBuilder::timestamp_delta(std::int64_t timestamp) const noexcept {
  // Wrapping difference: the reader adds it back with wrapping arithmetic, so
  // any pair of timestamps round-trips without signed overflow.
  const std::int64_t first = count_ == 0 ? timestamp : first_timestamp_;
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(timestamp) - static_cast<std::uint64_t>(first));
}

std::size_t BatchBuilder::body_size(std::int64_t ts_delta, const std::optional<Bytes>& key,
                                    const std::optional<Bytes>& value,
                                    std::span<const RecordHeader> headers) const noexcept {
  std::size_t body = varint_size(ts_delta) + uvarint_size(count_) + nullable_size(key) + nullable_size(value) +
                     uvarint_size(headers.size());
  for (const auto& h : headers) {
    body += uvarint_size(h.name.size()) + h.name.size() + uvarint_size(h.value.size()) + h.value.size();
  }
  return body;
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
  if (count_ > 0 && old_size + uvarint_size(body) + body > limit_bytes) return false;
  if (count_ == 0) {
    first_timestamp_ = timestamp;
    max_timestamp_ = timestamp;
  }
  max_timestamp_ = std::max(max_timestamp_, timestamp);
  buffer_.resize(old_size + uvarint_size(body) + body);
  std::uint8_t* p = buffer_.data() + old_size;
  p = put_uvarint(p, body);
  p = put_varint(p, ts_delta);
  p = put_uvarint(p, count_);
  p = put_nullable(p, key);
  p = put_nullable(p, value);
  p = put_uvarint(p, headers.size());
  for (const auto& h : headers) {
    p = put_blob(p, h.name);
    p = put_blob(p, h.value);
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

std::vector<std::uint8_t> BatchBuilder::finish() {
  assert(count_ > 0);
  if (buffer_.size() > kMaxBatchBytes) {
    throw std::length_error("BatchBuilder: batch exceeds the format's maximum size; flush earlier");
  }
  std::uint8_t* p = buffer_.data();
  store_le<std::uint64_t>(p + kBaseOffset, 0);
  store_le<std::uint32_t>(p + kBatchLength, static_cast<std::uint32_t>(buffer_.size() - kFramingSize));
  p[kMagic] = kFormatMagic;
  p[kAttributes] = 0;
  store_le<std::uint16_t>(p + kReserved, 0);
  store_le<std::int64_t>(p + kFirstTimestamp, first_timestamp_);
  store_le<std::int64_t>(p + kMaxTimestamp, max_timestamp_);
  store_le<std::int64_t>(p + kProducerId, producer_id_);
  store_le<std::int32_t>(p + kBaseSequence, base_sequence_);
  store_le<std::uint32_t>(p + kRecordCount, count_);
  store_le<std::uint64_t>(p + kChecksum, compute_checksum(buffer_));

  std::vector<std::uint8_t> out;
  out.swap(buffer_);
  buffer_.resize(kHeaderSize);
  count_ = 0;
  return out;
}

}  // namespace strata::protocol
