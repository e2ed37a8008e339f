// One group commit: the files a partition must fdatasync so that every
// offset below target() is durable (DESIGN decision 4). Made on the owner's
// thread by PartitionLog::begin_sync, run() on any thread (it blocks), then
// handed back to PartitionLog::complete_sync on the owner's thread.
#pragma once

#include <memory>
#include <vector>

#include <optional>

#include "storage/checkpoint.h"
#include "storage/file_system.h"
#include "storage/types.h"

namespace strata::storage {

class SyncTicket {
 public:
  // fdatasyncs the active log, then every other file (opened one at a time,
  // so a ticket holds at most two descriptors however many segments it
  // covers; a file deleted meanwhile is skipped), then, if a segment was
  // created, writes the checkpoint durably and syncs the directory. Each
  // log file's range marked for it (pagecache.keep.bytes) is dropped from
  // the page cache once synced. Stops at the first failure, which must not
  // be retried.
  [[nodiscard]] std::error_code run();
  // True when run() failed in an fsync (the partition must stop writing),
  // false when it failed before any data was at risk (e.g. EMFILE).
  [[nodiscard]] bool fsync_failed() const noexcept { return fsync_failed_; }

  [[nodiscard]] Offset target() const noexcept { return target_; }

 private:
  friend class PartitionLog;
  struct Other {
    fs::path path;
    std::uint64_t uncache_end = 0;  // [0, uncache_end) leaves the page cache once synced
  };
  std::shared_ptr<File> active_;
  std::uint64_t active_uncache_begin_ = 0;
  std::uint64_t active_uncache_end_ = 0;
  std::vector<Other> others_;
  FileSystem* fs_ = nullptr;
  fs::path dir_;
  bool sync_dir_ = false;
  bool fsync_failed_ = false;
  std::optional<Checkpoint> checkpoint_;  // written durably with the dir sync
  Offset target_;
  Offset segment_base_;
  std::uint64_t position_ = 0;
};

}  // namespace strata::storage
