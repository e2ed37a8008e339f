// Which partition a keyed record belongs to (PROTOCOL.md, "Partitioning"):
// XXH3-64 of the key bytes with seed 0, as an unsigned integer, modulo the
// partition count. Every client must compute exactly this.
#pragma once

#include <cstdint>

#include "protocol/byte_io.h"

namespace strata::protocol {

// REQUIRES: partition_count >= 1.
[[nodiscard]] std::uint32_t partition_for_key(Bytes key, std::uint32_t partition_count) noexcept;

}  // namespace strata::protocol
