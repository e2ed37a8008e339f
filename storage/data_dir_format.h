// What a data directory holds, said by a small text file at its root,
// `strata~meta` (the '~' keeps it apart from any topic name):
//
//   # strata data directory; written once, at creation
//   format.version=2
//
// Version 2 is Kafka's RecordBatch v2 (protocol/record_batch.h). Version 1,
// strata's own little-endian batch, had no meta file. The cluster mode adds
// cluster and node identity here. A directory this binary cannot read is
// refused before anything in it is touched.
//
// The lock file `strata~lock` (storage/data_dir_lock.h) does not make a
// directory non-empty here.
//
// Threads: call once at start-up, with the directory's lock held, before
// partitions open.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/base/result.h"
#include "storage/file_system.h"

namespace strata::storage {

inline constexpr int kDataFormatVersion = 2;
inline constexpr const char* kMetaFileName = "strata~meta";

struct DataDirCheck {
  bool created = false;  // the directory was new (or empty): the meta file was written
  // Empty when the directory can be used; otherwise what was found and
  // what to do, for the operator.
  std::string refusal;
};

// Reads `dir`'s meta file. An empty directory is given one (durably); a
// non-empty one without it (format 1) is refused, and so is a meta file
// naming another version or none. I/O errors are returned as such.
[[nodiscard]] Result<DataDirCheck> check_data_dir(FileSystem& fs, const fs::path& dir);

}  // namespace strata::storage
