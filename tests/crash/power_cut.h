// A power loss, simulated on a data directory whose broker was SIGKILLed:
// every file is cut back to the size its last sync made durable and every
// directory entry that no directory sync (or file-system sync) covered is
// removed, as the journal of a broker run with test.durability.journal
// records them (storage/journaling_file_system.h). Stricter than most real
// file systems (ext4 often commits a new entry with a later journal
// transaction anyway), never more lenient. The data directory's lock file
// is left alone. Afterwards the journal is replaced by a snapshot of what
// survived (all of it is durable now), so inode numbers freed by the cut
// and reused later cannot pick up an old record.
//
// Threads: any; REQUIRES: no broker process uses the directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace strata::crash {

struct PowerCutReport {
  std::uint64_t files_cut = 0;        // truncated to their durable size
  std::uint64_t bytes_dropped = 0;    // by those cuts
  std::uint64_t entries_removed = 0;  // files or directories never made durable
  [[nodiscard]] std::string describe() const;
};

// Throws std::runtime_error when the journal cannot be read or a file cannot be changed.
PowerCutReport power_cut(const std::filesystem::path& data_dir, const std::filesystem::path& journal);

}  // namespace strata::crash
