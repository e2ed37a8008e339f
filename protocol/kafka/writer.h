// The encoding twin of Reader: a growable big-endian buffer writing Kafka's
// classic or (flexible versions) compact forms. Responses are encoded from
// plain structs by the per-API files; nothing here can fail.
//
// Preconditions: strings are at most 32767 bytes (Kafka's int16 length);
// longer ones, which only a broker bug could produce, are cut there so the
// frame stays decodable. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/byte_io.h"

namespace strata::kafka {

class Writer {
 public:
  explicit Writer(bool flexible = false) : flexible_(flexible) {}

  [[nodiscard]] bool flexible() const noexcept { return flexible_; }
  // Switches between classic and compact forms, e.g. after a response
  // header (always classic) when the body is flexible.
  void set_flexible(bool flexible) noexcept { flexible_ = flexible; }

  void i8(std::int8_t v) { fixed(v); }
  void i16(std::int16_t v) { fixed(v); }
  void i32(std::int32_t v) { fixed(v); }
  void i64(std::int64_t v) { fixed(v); }
  void boolean(bool v) { fixed(static_cast<std::int8_t>(v ? 1 : 0)); }

  void string(std::string_view s) {
    if (s.size() > kMaxString) s = s.substr(0, kMaxString);
    length(static_cast<std::int64_t>(s.size()), false);
    raw({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
  }
  void nullable_string(const std::optional<std::string>& s) {
    if (s) return string(*s);
    length(-1, false);
  }
  // Bytes with an int32 (or compact) length; null when b is nullopt.
  void nullable_bytes(const std::optional<protocol::Bytes>& b) {
    if (!b) return length(-1, true);
    length(static_cast<std::int64_t>(b->size()), true);
    raw(*b);
  }
  // The length prefix of a bytes field whose content the caller supplies
  // elsewhere (Fetch records sent with sendfile).
  void bytes_length(std::int64_t n) { length(n, true); }

  // An array's count; -1 writes null.
  void array_count(std::int64_t n) { length(n, true); }
  template <typename T, typename EncodeOne>
  void array(const std::vector<T>& items, EncodeOne encode_one) {
    array_count(static_cast<std::int64_t>(items.size()));
    for (const auto& item : items) encode_one(*this, item);
  }
  // The end of a structure: no tagged fields (flexible versions only).
  void end_struct() {
    if (flexible_) raw_byte(0);
  }

  void raw(protocol::Bytes b) { buf_.insert(buf_.end(), b.begin(), b.end()); }
  // Overwrites an int32 written earlier at `at` (a frame size).
  void patch_i32(std::size_t at, std::int32_t v) noexcept { protocol::store_be(buf_.data() + at, v); }

  [[nodiscard]] std::size_t size() const noexcept { return buf_.size(); }
  [[nodiscard]] const std::vector<std::uint8_t>& buffer() const noexcept { return buf_; }
  [[nodiscard]] std::vector<std::uint8_t> take() noexcept { return std::move(buf_); }

 private:
  static constexpr std::size_t kMaxString = 32767;

  template <typename T>
  void fixed(T v) {
    const std::size_t at = buf_.size();
    buf_.resize(at + sizeof(T));
    protocol::store_be(buf_.data() + at, v);
  }
  void raw_byte(std::uint8_t b) { buf_.push_back(b); }
  // Classic: int16 (strings) or int32 (bytes, arrays); compact: varint n + 1.
  void length(std::int64_t n, bool wide) {
    if (flexible_) {
      std::uint8_t tmp[protocol::kMaxVarintBytes];
      const std::uint8_t* end = protocol::put_uvarint(tmp, static_cast<std::uint64_t>(n + 1));
      raw({tmp, static_cast<std::size_t>(end - tmp)});
    } else if (wide) {
      fixed(static_cast<std::int32_t>(n));
    } else {
      fixed(static_cast<std::int16_t>(n));
    }
  }

  std::vector<std::uint8_t> buf_;
  bool flexible_;
};

}  // namespace strata::kafka
