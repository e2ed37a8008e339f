// The partition's small state file, `checkpoint`, kept beside its segments:
// where the log starts and how far it is known to be synced, so a restart
// after a crash scans only what was never synced (DESIGN decision 3).
//
//   0  u32 magic "SCKP"   4  u32 version (1)
//   8  u64 log_start_offset
//  16  u64 recovery_offset          every offset below is synced
//  24  u64 recovery_segment_base    segment holding recovery_offset
//  32  u64 recovery_position        its byte position in that segment
//  40  u64 XXH3-64 of bytes [0, 40)
#pragma once

#include <optional>

#include "storage/file_system.h"
#include "storage/types.h"

namespace strata::storage {

struct Checkpoint {
  Offset log_start;
  Offset recovery_offset;
  Offset recovery_segment;
  std::uint64_t recovery_position = 0;

  bool operator==(const Checkpoint&) const = default;
};

inline constexpr const char* kCheckpointFile = "checkpoint";
inline constexpr const char* kCleanShutdownFile = "clean-shutdown";

// nullopt when the file is missing or fails its checksum (then the caller
// falls back to a full scan, which is always safe).
[[nodiscard]] Result<std::optional<Checkpoint>> read_checkpoint(FileSystem& fs, const fs::path& dir);
// Threads: any; writes that overlap (the owner's and a sync ticket's) each
// go through a temporary file of their own, and the last rename wins.
[[nodiscard]] std::error_code write_checkpoint(FileSystem& fs, const fs::path& dir, const Checkpoint& cp,
                                               bool durable);

}  // namespace strata::storage
