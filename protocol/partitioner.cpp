#include "protocol/partitioner.h"

#include <xxhash.h>

namespace strata::protocol {

std::uint32_t partition_for_key(Bytes key, std::uint32_t partition_count) noexcept {
  return static_cast<std::uint32_t>(XXH3_64bits(key.data(), key.size()) % partition_count);
}

}  // namespace strata::protocol
