// The partition's leader-epoch history on disk, `leader-epoch-checkpoint`
// (Kafka's file of the same name, KIP-101/279; storage/FORMAT.md): which
// leader epoch started at which offset. This file is only the codec and its
// errors; LeaderEpochCache (leader_epoch_cache.h) holds the rules.
//
//   0  u32 magic "SLEP"   4  u32 version (1)   8  u32 count n (<= kMaxEntries)
//  12  n x { i32 epoch, u64 start_offset }      (12 bytes each)
//  12 + 12n  u64 XXH3-64 of every byte before it
//
// Entries are strictly increasing in both epoch and start offset, epochs
// >= 0. The decoder never trusts the count: the file's size must be exactly
// what it says.
#pragma once

#include <cstdint>
#include <system_error>
#include <vector>

#include "storage/file_system.h"
#include "storage/types.h"

namespace strata::storage {

struct EpochEntry {
  std::int32_t epoch = 0;
  Offset start;
  bool operator==(const EpochEntry&) const = default;
};

inline constexpr const char* kLeaderEpochFile = "leader-epoch-checkpoint";

// Entries a history keeps (a leader election each); see LeaderEpochCache.
inline constexpr std::size_t kMaxEpochEntries = 16384;
inline constexpr std::size_t kEpochFileHeaderBytes = 12;
inline constexpr std::size_t kEpochEntryBytes = 12;
inline constexpr std::size_t kMaxEpochFileBytes = kEpochFileHeaderBytes + kMaxEpochEntries * kEpochEntryBytes + 8;

// Why a leader-epoch file was not used (the partition then rebuilds the
// history from its log and rewrites the file).
enum class EpochFileErrc {
  truncated = 1,        // shorter than its header and checksum
  bad_magic,            // not a leader-epoch file
  unsupported_version,  // written by another version of strata
  bad_count,            // the count is above kMaxEpochEntries or disagrees with the file size
  checksum_mismatch,    // damaged
  not_monotonic,        // epochs or start offsets not strictly increasing, or an epoch < 0
};

[[nodiscard]] const std::error_category& epoch_file_category() noexcept;
[[nodiscard]] inline std::error_code make_error_code(EpochFileErrc e) noexcept {
  return {static_cast<int>(e), epoch_file_category()};
}

// REQUIRES: entries satisfy the invariants above and number <= kMaxEpochEntries.
[[nodiscard]] std::vector<std::uint8_t> encode_epoch_file(const std::vector<EpochEntry>& entries);
[[nodiscard]] Result<std::vector<EpochEntry>> decode_epoch_file(Bytes data);

// The file in dir: ENOENT when missing, an EpochFileErrc when it does not
// decode, or an I/O error.
[[nodiscard]] Result<std::vector<EpochEntry>> read_epoch_file(FileSystem& fs, const fs::path& dir);
// Replaces the file through "<name>.tmp" and a rename (replace_file);
// durable: the tmp file and then the directory are fsynced.
[[nodiscard]] std::error_code write_epoch_file(FileSystem& fs, const fs::path& dir,
                                               const std::vector<EpochEntry>& entries, bool durable);

}  // namespace strata::storage

template <>
struct std::is_error_code_enum<strata::storage::EpochFileErrc> : std::true_type {};
