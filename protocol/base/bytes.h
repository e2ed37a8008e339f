// Views of raw bytes, the currency of every layer: a decoder reads a Bytes,
// a stamper writes through a MutableBytes. Neither owns what it views; the
// owner keeps the bytes alive and in place while a view is used.
#pragma once

#include <cstdint>
#include <span>

namespace strata {

using Bytes = std::span<const std::uint8_t>;
using MutableBytes = std::span<std::uint8_t>;

}  // namespace strata
