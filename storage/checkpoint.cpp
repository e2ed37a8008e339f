#include "storage/checkpoint.h"

#include <xxhash.h>

#include <array>
#include <atomic>
#include <string>

namespace strata::storage {

namespace {
constexpr std::uint32_t kMagic = 0x504b4353;  // "SCKP" little-endian
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kBodySize = 40;
constexpr std::size_t kFileSize = kBodySize + 8;
}  // namespace

using protocol::load_le;
using protocol::store_le;

Result<std::optional<Checkpoint>> read_checkpoint(FileSystem& fsys, const fs::path& dir) {
  const fs::path path = dir / kCheckpointFile;
  if (!fsys.exists(path)) return std::optional<Checkpoint>{};
  STRATA_TRY(auto data, read_small_file(fsys, path, 4096));
  if (data.size() != kFileSize) return std::optional<Checkpoint>{};
  const std::uint8_t* p = data.data();
  if (load_le<std::uint32_t>(p) != kMagic || load_le<std::uint32_t>(p + 4) != kVersion ||
      load_le<std::uint64_t>(p + kBodySize) != XXH3_64bits(p, kBodySize)) {
    return std::optional<Checkpoint>{};
  }
  Checkpoint cp;
  cp.log_start = Offset(load_le<std::uint64_t>(p + 8));
  cp.recovery_offset = Offset(load_le<std::uint64_t>(p + 16));
  cp.recovery_segment = Offset(load_le<std::uint64_t>(p + 24));
  cp.recovery_position = load_le<std::uint64_t>(p + 32);
  return std::optional<Checkpoint>{cp};
}

std::error_code write_checkpoint(FileSystem& fsys, const fs::path& dir, const Checkpoint& cp, bool durable) {
  std::array<std::uint8_t, kFileSize> buf{};
  std::uint8_t* p = buf.data();
  store_le(p, kMagic);
  store_le(p + 4, kVersion);
  store_le(p + 8, cp.log_start.value());
  store_le(p + 16, cp.recovery_offset.value());
  store_le(p + 24, cp.recovery_segment.value());
  store_le(p + 32, cp.recovery_position);
  store_le<std::uint64_t>(p + kBodySize, XXH3_64bits(p, kBodySize));
  // Every write gets a temporary file of its own ("checkpoint.<n>.tmp"):
  // writers that overlap (the owner and a sync ticket, or two tickets)
  // must never truncate or rename each other's file. A leftover still
  // ends in ".tmp", which the next open sweeps.
  static std::atomic<std::uint64_t> writes{0};
  std::string suffix(1, '.');  // appended piecewise: GCC 12 warns falsely on a + chain here
  suffix += std::to_string(writes.fetch_add(1, std::memory_order_relaxed));
  suffix += ".tmp";
  return replace_file(fsys, dir / kCheckpointFile, buf, durable, suffix);
}

}  // namespace strata::storage
