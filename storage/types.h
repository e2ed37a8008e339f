// Strong types for the three numbers that get confused (DESIGN decision 10):
// an absolute log offset, an offset relative to a segment's base, and a byte
// position in a file. Conversions between them are explicit.
#pragma once

#include <compare>
#include <cassert>
#include <cstdint>
#include <ostream>

namespace strata::storage {

template <typename Tag, typename Rep>
class StrongInt {
 public:
  using rep = Rep;
  constexpr StrongInt() noexcept = default;
  constexpr explicit StrongInt(Rep v) noexcept : v_(v) {}
  [[nodiscard]] constexpr Rep value() const noexcept { return v_; }
  constexpr auto operator<=>(const StrongInt&) const noexcept = default;
  friend std::ostream& operator<<(std::ostream& os, StrongInt s) { return os << s.v_; }

 private:
  Rep v_{};
};

using Offset = StrongInt<struct OffsetTag, std::uint64_t>;
using RelativeOffset = StrongInt<struct RelativeOffsetTag, std::uint32_t>;
using FilePosition = StrongInt<struct FilePositionTag, std::uint64_t>;

[[nodiscard]] constexpr Offset operator+(Offset o, std::uint64_t n) noexcept { return Offset(o.value() + n); }
[[nodiscard]] constexpr std::uint64_t operator-(Offset a, Offset b) noexcept { return a.value() - b.value(); }

// REQUIRES: base <= o and o - base fits in 32 bits (segments are bounded).
[[nodiscard]] constexpr RelativeOffset relative_to(Offset o, Offset base) noexcept {
  assert(base.value() <= o.value() && o.value() - base.value() <= 0xFFFFFFFFu);
  return RelativeOffset(static_cast<std::uint32_t>(o.value() - base.value()));
}
[[nodiscard]] constexpr Offset absolute(RelativeOffset r, Offset base) noexcept {
  return Offset(base.value() + r.value());
}

}  // namespace strata::storage
