// Clean shutdown of many partitions at once (PartitionLog::close_many).
//
// Why file-system syncs: close() costs ~7 fsyncs per log (log and indexes,
// checkpoint file, rename, directory, marker, directory), each waiting for
// a journal commit; 10,000 partitions closed one after another took minutes.
// Three syncfs(2) calls make the same writes durable in the same order for
// every log at once, with no descriptor held beyond the FileCache's and one
// file at a time. The order is what makes it safe under power loss:
//   1. write pending index entries      (logs were appended already)  sync
//   2. write each checkpoint, now claiming everything appended        sync
//   3. create each clean-shutdown marker                              sync
// A checkpoint is written only once the bytes it claims are durable, and a
// marker only once its checkpoint is, so a marker that survives a power loss
// never vouches for bytes that did not.
#include "storage/checkpoint.h"
#include "storage/partition_log.h"

namespace strata::storage {

void PartitionLog::mark_all_durable() {
  durable_end_ = log_end();
  checkpoint_segment_ = segments_.back()->base();
  checkpoint_position_ = segments_.back()->size();
  unsynced_index_files_.clear();
  dir_sync_pending_ = false;
  while (!waiters_.empty() && waiters_.front().first <= durable_end_) {
    auto cb = std::move(waiters_.front().second);
    waiters_.pop_front();
    cb({});
  }
}

std::error_code PartitionLog::close_many(FileSystem& fsys, std::span<PartitionLog* const> logs) {
  std::error_code first;
  auto give_up = [&first](PartitionLog& log, std::error_code ec, const char* step) {
    log.emit(Severity::error, std::string("clean shutdown failed ") + step + " (" + ec.message() +
                                  "); the next open recovers this partition");
    (void)log.finish_close(ec);
    if (!first) first = ec;
  };
  std::vector<PartitionLog*> pending;
  for (PartitionLog* log : logs) {
    if (log->closed_) continue;
    if (log->read_only_ || log->clean_marker_present_) {
      // close() writes nothing for these: no marker, or one still true.
      if (auto ec = log->close(); ec && !first) first = ec;
      continue;
    }
    if (auto ec = log->flush_pending_indexes()) {
      give_up(*log, ec, "writing indexes");
      continue;
    }
    pending.push_back(log);
  }
  // A failed sync may have lost any of the writes since the last one, and
  // which is not known: no log still pending gets a marker.
  auto sync_pending = [&](const char* step) {
    if (pending.empty()) return false;
    std::vector<fs::path> dirs;
    dirs.reserve(pending.size());
    for (const PartitionLog* log : pending) dirs.push_back(log->dir_);
    const std::error_code ec = fsys.sync_filesystems(dirs);
    if (ec) {
      for (PartitionLog* log : pending) give_up(*log, ec, step);
      pending.clear();
    }
    return !ec;
  };
  if (!sync_pending("syncing the logs")) return first;
  std::erase_if(pending, [&](PartitionLog* log) {
    log->mark_all_durable();
    const std::error_code ec = log->save_checkpoint(false);
    if (ec) give_up(*log, ec, "writing the checkpoint");
    return static_cast<bool>(ec);
  });
  if (!sync_pending("syncing the checkpoints")) return first;
  std::erase_if(pending, [&](PartitionLog* log) {
    auto marker = fsys.open(log->dir_ / kCleanShutdownFile, OpenMode::create_read_write);
    if (!marker) give_up(*log, marker.error(), "creating the marker");
    // The marker is in the directory from now on, durable or not: if the
    // log stays open after a failure, its next change must remove it.
    if (marker) log->clean_marker_present_ = true;
    return !marker;
  });
  if (!sync_pending("syncing the markers")) return first;
  for (PartitionLog* log : pending) (void)log->finish_close({});
  return first;
}

}  // namespace strata::storage
