// Hand-assembled Kafka bytes for the codec tests: a big-endian appender
// written independently of protocol/kafka/writer.h, so an encoder is checked
// against bytes spelled out field by field from Kafka's message definitions,
// not against itself.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>  // doctest prints std::error_code with it
#include <string_view>
#include <vector>

#include "protocol/byte_io.h"

namespace strata::kafka::test {

class Be {
 public:
  Be& i8(std::int8_t v) { return put(static_cast<std::uint8_t>(v), 1); }
  Be& i16(std::int16_t v) { return put(static_cast<std::uint16_t>(v), 2); }
  Be& i32(std::int32_t v) { return put(static_cast<std::uint32_t>(v), 4); }
  Be& i64(std::int64_t v) { return put(static_cast<std::uint64_t>(v), 8); }
  Be& boolean(bool v) { return i8(v ? 1 : 0); }
  // Classic string: int16 length, bytes; null_str: length -1.
  Be& str(std::string_view s) {
    i16(static_cast<std::int16_t>(s.size()));
    return text(s);
  }
  Be& null_str() { return i16(-1); }
  // Compact string: varint length + 1; compact null: 0.
  Be& cstr(std::string_view s) {
    uv(s.size() + 1);
    return text(s);
  }
  Be& uv(std::uint64_t v) {
    while (v >= 0x80) {
      b_.push_back(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    b_.push_back(static_cast<std::uint8_t>(v));
    return *this;
  }
  Be& text(std::string_view s) {
    // Byte by byte: GCC 12 -O2 reports a false -Warray-bounds for vector::insert here.
    for (const char c : s) b_.push_back(static_cast<std::uint8_t>(c));
    return *this;
  }
  Be& raw(std::initializer_list<std::uint8_t> bytes) {
    b_.insert(b_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  Be& raw(const std::vector<std::uint8_t>& bytes) {
    b_.insert(b_.end(), bytes.begin(), bytes.end());
    return *this;
  }

  // Overwrites the first four bytes with the size of what follows them (a
  // frame's size prefix).
  Be& patch_frame_size() {
    const auto n = static_cast<std::uint32_t>(b_.size() - 4);
    for (int i = 0; i < 4; ++i) b_[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * (3 - i)));
    return *this;
  }

  [[nodiscard]] const std::vector<std::uint8_t>& bytes() const noexcept { return b_; }
  [[nodiscard]] protocol::Bytes view() const noexcept { return {b_.data(), b_.size()}; }

 private:
  Be& put(std::uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) b_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  std::vector<std::uint8_t> b_;
};

}  // namespace strata::kafka::test
