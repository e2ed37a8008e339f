// A cursor over one Kafka request body (or header), big-endian as Kafka is.
// Classic versions: strings carry an int16 length (-1 = null), bytes an int32
// length, arrays an int32 count (-1 = null). Flexible versions (KIP-482):
// compact forms whose length is an unsigned varint holding length + 1
// (0 = null), and every structure ends with tagged fields, which are skipped.
//
// Contract: nothing here trusts a length from the data. Every read checks the
// bytes left; an array count is checked against the bytes left before any
// element is read or any memory reserved. The first failure is kept (error())
// and every later read returns zero/empty, so a decoder may read a whole
// structure and test ok() once. Not thread-safe; views returned by
// nullable_bytes() point into the caller's buffer and live as long as it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "protocol/byte_io.h"
#include "protocol/kafka/decode_errc.h"

namespace strata::kafka {

using protocol::Bytes;

class Reader {
 public:
  Reader(Bytes data, bool flexible) noexcept : r_(data), flexible_(flexible) {}

  [[nodiscard]] bool ok() const noexcept { return !error_; }
  [[nodiscard]] std::error_code error() const noexcept { return error_; }
  [[nodiscard]] bool flexible() const noexcept { return flexible_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return r_.remaining(); }
  [[nodiscard]] std::uint64_t consumed() const noexcept { return r_.consumed(); }

  // Records the first failure; the reader then reads nothing more.
  void fail(DecodeErrc e) noexcept {
    if (!error_) error_ = make_error_code(e);
    (void)r_.bytes(r_.remaining() + 1);
  }

  [[nodiscard]] std::int8_t i8() noexcept { return fixed<std::int8_t>(); }
  [[nodiscard]] std::int16_t i16() noexcept { return fixed<std::int16_t>(); }
  [[nodiscard]] std::int32_t i32() noexcept { return fixed<std::int32_t>(); }
  [[nodiscard]] std::int64_t i64() noexcept { return fixed<std::int64_t>(); }
  [[nodiscard]] bool boolean() noexcept {
    const std::int8_t v = i8();
    if (v != 0 && v != 1) fail(DecodeErrc::invalid_value);
    return v == 1;
  }

  [[nodiscard]] std::optional<std::string> nullable_string() {
    const std::int64_t n = flexible_ ? compact_length() : i16();
    if (n == -1) return std::nullopt;
    const Bytes b = take(n);
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
  }
  // A non-nullable string: null is a negative_length error.
  [[nodiscard]] std::string string() {
    auto s = nullable_string();
    if (!s) fail(DecodeErrc::negative_length);
    return s ? std::move(*s) : std::string{};
  }
  // Bytes (records): int32 length, or compact. Null is std::nullopt.
  [[nodiscard]] std::optional<Bytes> nullable_bytes() noexcept {
    const std::int64_t n = flexible_ ? compact_length() : i32();
    if (n == -1) return std::nullopt;
    return take(n);
  }

  // An array's count (-1 = null, only where nullable), checked against the
  // bytes left: each element needs at least min_element_bytes (classic) or
  // one byte (flexible). 0 after a failure.
  [[nodiscard]] std::int64_t array_count(std::size_t min_element_bytes, bool nullable) noexcept {
    const std::int64_t n = flexible_ ? compact_length() : i32();
    if (n == -1 && nullable) return -1;
    if (n < 0) {
      fail(DecodeErrc::negative_length);
      return 0;
    }
    const std::size_t min_bytes = flexible_ || min_element_bytes == 0 ? 1 : min_element_bytes;
    if (static_cast<std::uint64_t>(n) > remaining() / min_bytes) {
      fail(DecodeErrc::count_too_large);
      return 0;
    }
    return n;
  }
  template <typename T, typename DecodeOne>
  [[nodiscard]] std::optional<std::vector<T>> nullable_array(std::size_t min_element_bytes, DecodeOne decode_one) {
    const std::int64_t n = array_count(min_element_bytes, true);
    if (n == -1) return std::nullopt;
    std::vector<T> out;
    out.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n && ok(); ++i) out.push_back(decode_one(*this));
    return out;
  }
  template <typename T, typename DecodeOne>
  [[nodiscard]] std::vector<T> array(std::size_t min_element_bytes, DecodeOne decode_one) {
    const std::int64_t n = array_count(min_element_bytes, false);
    std::vector<T> out;
    out.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n && ok(); ++i) out.push_back(decode_one(*this));
    return out;
  }

  // The end of a structure: in flexible versions its tagged fields (a count,
  // then tag, size, bytes each), all skipped; nothing in classic versions.
  void end_struct() noexcept {
    if (!flexible_) return;
    const std::uint64_t count = uvarint32();
    if (count > remaining() / 2) return fail(DecodeErrc::count_too_large);
    for (std::uint64_t i = 0; i < count && ok(); ++i) {
      (void)uvarint32();  // tag
      (void)take(static_cast<std::int64_t>(uvarint32()));
    }
  }

  // The end of the request: any byte left is trailing_bytes.
  void finish() noexcept {
    if (ok() && remaining() != 0) fail(DecodeErrc::trailing_bytes);
  }

 private:
  template <typename T>
  T fixed() noexcept {
    const Bytes b = take(sizeof(T));
    return b.size() == sizeof(T) ? protocol::load_be<T>(b.data()) : T{};
  }
  Bytes take(std::int64_t n) noexcept {
    if (!ok()) return {};
    if (n < 0) {
      fail(DecodeErrc::negative_length);
      return {};
    }
    if (static_cast<std::uint64_t>(n) > remaining()) {
      fail(DecodeErrc::truncated);
      return {};
    }
    return r_.bytes(static_cast<std::size_t>(n));
  }
  // An unsigned varint that must fit 32 bits (Kafka's lengths and tags).
  std::uint64_t uvarint32() noexcept {
    if (!ok()) return 0;
    const std::uint8_t* p = r_.position();
    const std::size_t n = r_.remaining();
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 5; ++i) {
      if (i == n) {
        fail(DecodeErrc::truncated);
        return 0;
      }
      v |= static_cast<std::uint64_t>(p[i] & 0x7f) << (7 * i);
      if ((p[i] & 0x80) == 0) {
        r_.skip(i + 1);
        if (v <= 0xffffffffu) return v;
        break;
      }
    }
    fail(DecodeErrc::bad_varint);
    return 0;
  }
  // Compact length: varint N, N - 1 bytes follow; 0 = null (-1).
  std::int64_t compact_length() noexcept { return static_cast<std::int64_t>(uvarint32()) - 1; }

  protocol::ByteReader r_;
  bool flexible_;
  std::error_code error_;
};

}  // namespace strata::kafka
