#include "protocol/decompressed_reader.h"

#include <algorithm>

#include "protocol/batch_errc.h"

namespace strata::protocol {

bool DecompressedReader::fill() noexcept {
  if (error_) return false;
  auto n = source_.read(window_);
  if (!n) {
    fail(n.error());
    return false;
  }
  at_ = 0;
  filled_ = n.value();
  produced_ += filled_;
  if (produced_ > limit_) {
    fail(BatchErrc::decompressed_too_large);
    filled_ = 0;
    return false;
  }
  return filled_ > 0;
}

std::uint8_t DecompressedReader::u8() noexcept {
  if (at_ == filled_ && !fill()) {
    fail(BatchErrc::malformed_record);
    return 0;
  }
  ++consumed_;
  return window_[at_++];
}

std::uint64_t DecompressedReader::uvarint() noexcept {
  std::uint64_t v = 0;
  for (unsigned shift = 0; shift < 64 && ok(); shift += 7) {
    const std::uint8_t b = u8();
    if (shift == 63 && b > 1) break;  // the tenth byte carries one bit at most
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return ok() ? v : 0;
  }
  fail(BatchErrc::malformed_record);
  return 0;
}

void DecompressedReader::skip(std::size_t n) noexcept {
  while (n > 0 && ok()) {
    if (at_ == filled_ && !fill()) {
      fail(BatchErrc::malformed_record);
      return;
    }
    const std::size_t step = std::min(n, filled_ - at_);
    at_ += step;
    consumed_ += step;
    n -= step;
  }
}

}  // namespace strata::protocol
