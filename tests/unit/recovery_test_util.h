// Shared helpers of the crash recovery tests (recovery_*_test.cpp): checks
// that a log holds exactly what a Model says, from every offset, where a
// batch lies on disk, and writing a file's bytes directly.
//
// A "crash" destroys the PartitionLog without close() together with the
// FileCache it used, so every descriptor is closed as it would be when the
// process dies; a power loss additionally calls faults.drop_unsynced().
// Expected contents come from a model of what the test appended, never from
// the log under test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "storage_test_util.h"

namespace strata::test::recovery {

// Value size of the records add() appends when not told one.
inline constexpr std::size_t kValueSize = 24;

namespace fs = std::filesystem;
using storage::LogConfig;
using storage::Offset;
using storage::PartitionLog;

// log_end matches and every record reads back, with a large and a tiny budget.
void check_log(PartitionLog& log, const Model& m);

// Closes p's log; the next process opens it clean, scans nothing and reads m.
void close_and_check_clean_reopen(StorageEnv& env, const LogConfig& cfg, Proc& p, const Model& m);

// Reads from every offset and a timestamp lookup for every record.
void check_every_offset(PartitionLog& log, const Model& m);

struct Location {
  std::uint64_t segment = 0;   // base offset of the segment holding the batch
  std::uint64_t position = 0;  // byte position of the batch in that segment
};

// Where batch j lives, from the segment files on disk and the batch sizes.
Location locate(const fs::path& dir, const Model& m, std::size_t j);

// Replaces the file's contents with data.
void write_file(const fs::path& path, const std::vector<std::uint8_t>& data);

}  // namespace strata::test::recovery
