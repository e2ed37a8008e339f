// Clean shutdown of many partitions at once (PartitionLog::close_many).
//
// Why file-system syncs: close() costs ~7 fsyncs per log (log and indexes,
// checkpoint file, rename, directory, marker, directory), each waiting for
// a journal commit; 10,000 partitions closed one after another took minutes.
// Two or three syncfs(2) calls make the writes durable in the same order for
// every log at once, with no descriptor held beyond the FileCache's and one
// file at a time. The order is what makes it safe under power loss:
//   1. write pending index entries      (logs were appended already)  sync
//   2. write a checkpoint where none is on disk yet                   sync
//   3. create each clean-shutdown marker (with its producer snapshot) sync
// A checkpoint is written only once the bytes it claims are durable, and a
// marker only once its checkpoint is, so a marker that survives a power loss
// never vouches for bytes that did not.
//
// Unlike close(), an existing checkpoint is not rewritten: sync 1 made it
// durable, whatever it claims was synced, and an open that finds the marker
// trusts every segment without reading it (only that it is valid). It is
// the first append after that open which removes the marker; the next sync
// then moves the checkpoint on. Rewriting 10,000 checkpoints (tmp, rename
// over the old one) took longer than everything else here together.
#include <chrono>

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

void PartitionLog::abandon() {
  if (closed_) return;
  // Not a failed fsync: whatever read_only_ says, the log is going away.
  read_only_ = {};
  (void)finish_close({});
}

std::error_code PartitionLog::close_many(FileSystem& fsys, std::span<PartitionLog* const> logs) {
  using Steady = std::chrono::steady_clock;
  auto mark = Steady::now();
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
  // Where the time goes (writes, then the sync), for the report below.
  std::string timings;
  auto lap = [&](const char* what) {
    const auto now = Steady::now();
    timings += std::string(timings.empty() ? "" : ", ") + what + " " +
               std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now - mark).count()) + " ms";
    mark = now;
  };
  auto sync_pending = [&](const char* step) {
    lap("writes");
    if (pending.empty()) return true;  // nothing left to sync is not a failure
    std::vector<fs::path> dirs;
    dirs.reserve(pending.size());
    for (const PartitionLog* log : pending) dirs.push_back(log->dir_);
    const std::error_code ec = fsys.sync_filesystems(dirs);
    lap("sync");
    if (ec) {
      for (PartitionLog* log : pending) give_up(*log, ec, step);
      pending.clear();
    }
    return !ec;
  };
  if (!sync_pending("syncing the logs")) return first;
  bool checkpoints_written = false;
  std::erase_if(pending, [&](PartitionLog* log) {
    log->mark_all_durable();
    if (log->checkpoint_on_disk_) return false;
    const std::error_code ec = log->save_checkpoint(false);
    if (ec) give_up(*log, ec, "writing the checkpoint");
    checkpoints_written = checkpoints_written || !ec;
    return static_cast<bool>(ec);
  });
  if (checkpoints_written && !sync_pending("syncing the checkpoints")) return first;
  std::erase_if(pending, [&](PartitionLog* log) {
    const std::error_code ec = log->write_marker(false);
    if (ec) give_up(*log, ec, "creating the marker");
    return static_cast<bool>(ec);
  });
  if (!sync_pending("syncing the markers")) return first;
  for (PartitionLog* log : pending) (void)log->finish_close({});
  if (!pending.empty()) {
    pending.front()->emit(Severity::info, "closed " + std::to_string(pending.size()) +
                                              " partitions cleanly at once (this one first): " + timings);
  }
  return first;
}

}  // namespace strata::storage
