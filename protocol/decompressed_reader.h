// A forward reader over a Decompressor with ByteReader's interface (the
// parts record_check.h uses): it holds one window of decompressed bytes, so
// checking a compressed batch costs a fixed amount of memory whatever it
// expands to, and it fails once more than `limit` bytes came out.
//
// Threads: one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <system_error>

#include "protocol/compression.h"

namespace strata::protocol {

class DecompressedReader {
 public:
  DecompressedReader(Decompressor& source, std::size_t limit) noexcept : source_(source), limit_(limit) {}

  [[nodiscard]] bool ok() const noexcept { return !error_; }
  // Why reading stopped: a codec error, decompressed_too_large, or
  // malformed_record for a read past the end. Empty while ok().
  [[nodiscard]] std::error_code error() const noexcept { return error_; }
  [[nodiscard]] std::uint64_t consumed() const noexcept { return consumed_; }
  // True at the end of the data, or after an error (see error()).
  [[nodiscard]] bool at_end() noexcept { return at_ == filled_ && !fill(); }

  [[nodiscard]] std::uint8_t u8() noexcept;
  [[nodiscard]] std::uint64_t uvarint() noexcept;
  [[nodiscard]] std::int64_t varint() noexcept { return zigzag_decode(uvarint()); }
  void skip(std::size_t n) noexcept;

 private:
  bool fill() noexcept;
  void fail(std::error_code ec) noexcept {
    if (!error_) error_ = ec;
  }

  Decompressor& source_;
  std::size_t limit_;
  std::array<std::uint8_t, 64 * 1024> window_;
  std::size_t at_ = 0;
  std::size_t filled_ = 0;
  std::uint64_t produced_ = 0;
  std::uint64_t consumed_ = 0;
  std::error_code error_;
};

}  // namespace strata::protocol
