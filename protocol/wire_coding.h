// Composite wire types shared by every message: error codes (u16) and
// arrays (a u32 count, then the elements). An array's count is checked
// against the bytes left (each element needs at least min_element_bytes)
// before any element is read, so a lying count costs nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/byte_writer.h"
#include "protocol/error_code.h"

namespace strata::protocol {

[[nodiscard]] inline ErrorCode read_error(ByteReader& r) noexcept {
  return static_cast<ErrorCode>(r.fixed<std::uint16_t>());
}
inline void write_error(ByteWriter& w, ErrorCode e) { w.fixed(static_cast<std::uint16_t>(e)); }

template <typename T, typename DecodeOne>
[[nodiscard]] std::vector<T> read_array(ByteReader& r, std::size_t min_element_bytes, DecodeOne decode_one) {
  std::vector<T> out;
  const std::uint32_t count = r.fixed<std::uint32_t>();
  if (!r.ok() || static_cast<std::uint64_t>(count) * min_element_bytes > r.remaining()) {
    (void)r.bytes(r.remaining() + 1);  // mark the reader failed
    return out;
  }
  out.reserve(count);
  for (std::uint32_t i = 0; i < count && r.ok(); ++i) out.push_back(decode_one(r));
  return out;
}

template <typename T, typename EncodeOne>
void write_array(ByteWriter& w, const std::vector<T>& items, EncodeOne encode_one) {
  w.fixed(static_cast<std::uint32_t>(items.size()));
  for (const auto& item : items) encode_one(w, item);
}

// Signed 32-bit values (node ids, epochs: -1 means none) and lists of them.
inline void write_i32(ByteWriter& w, std::int32_t v) { w.fixed(static_cast<std::uint32_t>(v)); }
[[nodiscard]] inline std::int32_t read_i32(ByteReader& r) noexcept {
  return static_cast<std::int32_t>(r.fixed<std::uint32_t>());
}
inline void write_i32_array(ByteWriter& w, const std::vector<std::int32_t>& items) {
  write_array(w, items, [](ByteWriter& out, std::int32_t v) { write_i32(out, v); });
}
[[nodiscard]] inline std::vector<std::int32_t> read_i32_array(ByteReader& r) {
  return read_array<std::int32_t>(r, 4, [](ByteReader& in) { return read_i32(in); });
}

}  // namespace strata::protocol
