// Growable little-endian writer for wire messages: the encoding twin of
// ByteReader. Strings carry a u16 length, byte blobs a u32 length, arrays a
// u32 count (see PROTOCOL.md, "Primitive types").
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "protocol/byte_io.h"

namespace strata::protocol {

class ByteWriter {
 public:
  template <typename T>
  void fixed(T v) {
    const std::size_t at = buf_.size();
    buf_.resize(at + sizeof(T));
    store_le(buf_.data() + at, v);
  }
  // REQUIRES: s.size() <= 65535 (callers validate names before encoding).
  void string(std::string_view s) {
    fixed(static_cast<std::uint16_t>(s.size()));
    raw(as_bytes_view(s));
  }
  void blob(Bytes b) {
    fixed(static_cast<std::uint32_t>(b.size()));
    raw(b);
  }
  void raw(Bytes b) { buf_.insert(buf_.end(), b.begin(), b.end()); }

  // Overwrites a u32 written earlier at `at` (e.g. a count or frame size).
  void patch_u32(std::size_t at, std::uint32_t v) noexcept { store_le(buf_.data() + at, v); }

  [[nodiscard]] std::size_t size() const noexcept { return buf_.size(); }
  [[nodiscard]] std::vector<std::uint8_t>& buffer() noexcept { return buf_; }
  [[nodiscard]] std::vector<std::uint8_t> take() noexcept { return std::move(buf_); }

 private:
  static Bytes as_bytes_view(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
  }
  std::vector<std::uint8_t> buf_;
};

// Reads a u16-length string; empty and failed reader on overrun.
[[nodiscard]] inline std::string_view read_string(ByteReader& r) noexcept {
  const Bytes b = r.bytes(r.fixed<std::uint16_t>());
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
// Reads a u32-length blob.
[[nodiscard]] inline Bytes read_blob(ByteReader& r) noexcept { return r.bytes(r.fixed<std::uint32_t>()); }

}  // namespace strata::protocol
