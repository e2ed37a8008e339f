// Fixed-width (little-endian for strata's own protocol and files, big-endian
// for the Kafka record batch) and varint coding over raw byte buffers.
//
// Contract: every reader takes an explicit end pointer (or span) and reports
// failure instead of reading past it; no function here trusts a length found
// in the data it decodes.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <type_traits>

#include "protocol/base/bytes.h"

namespace strata::protocol {

static_assert(std::endian::native == std::endian::little,
              "strata's formats are little-endian; a big-endian port must byte-swap here");

using strata::Bytes;  // protocol/base/bytes.h
using strata::MutableBytes;

// REQUIRES: p points at sizeof(T) readable bytes.
template <typename T>
[[nodiscard]] inline T load_le(const std::uint8_t* p) noexcept {
  static_assert(std::is_trivially_copyable_v<T>);
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// REQUIRES: p points at sizeof(T) writable bytes.
template <typename T>
inline void store_le(std::uint8_t* p, T v) noexcept {
  static_assert(std::is_trivially_copyable_v<T>);
  std::memcpy(p, &v, sizeof(T));
}

// Big-endian twins, for the Kafka RecordBatch v2 header (record_batch.h).
template <typename T>
[[nodiscard]] inline T load_be(const std::uint8_t* p) noexcept {
  static_assert(std::is_integral_v<T>);
  std::make_unsigned_t<T> v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v = static_cast<std::make_unsigned_t<T>>((v << 8) | p[i]);
  return static_cast<T>(v);
}

template <typename T>
inline void store_be(std::uint8_t* p, T v) noexcept {
  static_assert(std::is_integral_v<T>);
  auto u = static_cast<std::make_unsigned_t<T>>(v);
  for (std::size_t i = sizeof(T); i-- > 0;) {
    p[i] = static_cast<std::uint8_t>(u & 0xff);
    u = static_cast<std::make_unsigned_t<T>>(u >> 8);
  }
}

inline constexpr std::size_t kMaxVarintBytes = 10;

[[nodiscard]] constexpr std::uint64_t zigzag_encode(std::int64_t v) noexcept {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
[[nodiscard]] constexpr std::int64_t zigzag_decode(std::uint64_t v) noexcept {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// Writes an unsigned LEB128 varint. REQUIRES: kMaxVarintBytes writable at p.
// Returns the byte after the last one written.
inline std::uint8_t* put_uvarint(std::uint8_t* p, std::uint64_t v) noexcept {
  while (v >= 0x80) {
    *p++ = static_cast<std::uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<std::uint8_t>(v);
  return p;
}
inline std::uint8_t* put_varint(std::uint8_t* p, std::int64_t v) noexcept {
  return put_uvarint(p, zigzag_encode(v));
}

[[nodiscard]] constexpr std::size_t uvarint_size(std::uint64_t v) noexcept {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}
[[nodiscard]] constexpr std::size_t varint_size(std::int64_t v) noexcept {
  return uvarint_size(zigzag_encode(v));
}

// A forward cursor over untrusted bytes. Every read checks the remaining
// length; after the first failure the reader stays failed and returns zeros,
// so a decoder may read a whole structure and test ok() once.
class ByteReader {
 public:
  explicit ByteReader(Bytes data) noexcept
      : begin_(data.data()), p_(data.data()), end_(data.data() + data.size()) {}

  [[nodiscard]] bool ok() const noexcept { return ok_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - p_); }
  [[nodiscard]] bool at_end() const noexcept { return p_ == end_; }
  // Bytes read so far (the end, once failed).
  [[nodiscard]] std::uint64_t consumed() const noexcept { return static_cast<std::uint64_t>(p_ - begin_); }
  [[nodiscard]] const std::uint8_t* position() const noexcept { return p_; }

  template <typename T>
  [[nodiscard]] T fixed() noexcept {
    if (!ok_ || remaining() < sizeof(T)) return fail<T>();
    T v = load_le<T>(p_);
    p_ += sizeof(T);
    return v;
  }

  [[nodiscard]] std::uint64_t uvarint() noexcept {
    std::uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (!ok_ || p_ == end_) return fail<std::uint64_t>();
      const std::uint8_t b = *p_++;
      // The tenth byte may carry only the top bit of a 64-bit value.
      if (shift == 63 && b > 1) return fail<std::uint64_t>();
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail<std::uint64_t>();
  }
  [[nodiscard]] std::int64_t varint() noexcept { return zigzag_decode(uvarint()); }

  // Returns the next n bytes, or an empty span and failure if fewer remain.
  [[nodiscard]] Bytes bytes(std::size_t n) noexcept {
    if (!ok_ || remaining() < n) return fail<Bytes>();
    Bytes out{p_, n};
    p_ += n;
    return out;
  }
  void skip(std::size_t n) noexcept { (void)bytes(n); }
  [[nodiscard]] std::uint8_t u8() noexcept { return fixed<std::uint8_t>(); }

 private:
  template <typename T>
  T fail() noexcept {
    ok_ = false;
    p_ = end_;
    return T{};
  }

  const std::uint8_t* begin_;
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  bool ok_ = true;
};

}  // namespace strata::protocol
