// Truncation (PartitionLog::truncate_to, truncate_fully): how a follower
// whose log diverged from its leader's drops what the leader never had.
//
// Order, so that a crash at any step leaves a log that opens consistently:
//   1. the epoch history loses the entries at or above the new end, durably
//      (a crash now leaves the whole log with a shorter history, which the
//      open-time check finds and rebuilds from the log);
//   2. later segments are renamed to *.deleted, newest first, and the
//      containing one is cut (a crash leaves a prefix of the old log, or a
//      gap recovery removes: never a hole);
//   3. the producer state is rebuilt and snapshots above the end deleted;
//   4. one sync: the cut files, the directory and a checkpoint at the new end
//      (so no stale checkpoint or snapshot outlives the cut);
//   5. the *.deleted files are unlinked (an open sweeps any left).
#include <algorithm>
#include <iterator>

#include "storage/partition_log.h"
#include "storage/storage_errc.h"

namespace strata::storage {

std::error_code PartitionLog::truncatable() {
  // A ticket in flight would, on completion, claim durable the offsets it
  // captured, which are gone, and write a checkpoint for them.
  if (syncs_in_flight_ > 0) return StorageErrc::sync_in_flight;
  return writable();
}

std::error_code PartitionLog::truncation_failed(std::error_code ec) {
  if (!read_only_) read_only_ = ec;
  emit(Severity::error, "truncation failed part way (" + ec.message() +
                            "); the partition is read-only until it is reopened, which recovers it");
  fail_waiters(ec);
  return ec;
}

void PartitionLog::fail_waiters_above(Offset end, std::error_code ec) {
  auto first = std::upper_bound(waiters_.begin(), waiters_.end(), end,
                                [](Offset e, const auto& w) { return e < w.first; });
  std::deque<std::pair<Offset, DurableCallback>> gone(std::make_move_iterator(first),
                                                      std::make_move_iterator(waiters_.end()));
  waiters_.erase(first, waiters_.end());
  for (auto& [at, cb] : gone) cb(ec);
}

void PartitionLog::unlink_deleted(const std::deque<std::unique_ptr<Segment>>& gone) {
  for (const auto& s : gone) {
    if (auto ec = s->remove_deleted(cache_.file_system())) {
      emit(Severity::warn, "could not remove " + s->log_path().string() + ".deleted (the next open does): " +
                               ec.message());
    }
  }
}

std::error_code PartitionLog::sync_truncation() {
  // The ticket covers the (new) active segment from its start, its index
  // files, the directory and a durable checkpoint at the new end.
  durable_end_ = std::min(durable_end_, segments_.back()->base());
  for (auto& path : Segment::index_paths(dir_, segments_.back()->base())) {
    unsynced_index_files_.push_back(std::move(path));
  }
  dir_sync_pending_ = true;
  if (auto ec = sync()) return ec;
  // sync() also ends without a ticket when the log file cannot be opened.
  if (durable_end_ != log_end()) return std::make_error_code(std::errc::io_error);
  return {};
}

Result<TruncateReport> PartitionLog::truncate_to(Offset end) {
  STRATA_TRYV(truncatable());
  if (end < log_start()) return truncate_fully(end);
  TruncateReport report;
  report.end = std::min(end, log_end());
  if (end < log_end()) {
    // The batch holding `end` goes whole: the new end is its base.
    STRATA_TRY(auto holding, segment_for(end).header_at(cache_, end));
    if (!holding) return StorageErrc::corruption;
    report.end = Offset(holding->base_offset);
  }
  // Even when no batch is cut (Kafka's rule): an epoch this replica only
  // recorded, at its log end, must go before the leader's older one comes.
  const Offset epochs_from = end < log_end() ? report.end : end;
  STRATA_TRY(const bool epochs_cut, epochs_.truncate_from_end(epochs_from, true));
  if (epochs_cut) {
    emit(Severity::info, "leader-epoch history cut at offset " + std::to_string(epochs_from.value()));
  }
  if (report.end == log_end()) return report;

  const Offset old_end = log_end();
  const std::uint64_t old_size = size_bytes();
  std::deque<std::unique_ptr<Segment>> gone;
  while (segments_.size() > 1 && segments_.back()->base() > report.end) {
    if (auto ec = segments_.back()->mark_deleted(cache_)) return truncation_failed(ec);
    gone.push_back(std::move(segments_.back()));
    segments_.pop_back();
  }
  Segment& last = *segments_.back();
  auto cut = last.truncate_to(cache_, report.end, options_.clock->now_ms());
  if (!cut) return truncation_failed(cut.error());
  if (cut.value() != report.end) return truncation_failed(StorageErrc::corruption);
  jitter_drawn_ = false;
  if (uncached_segment_ == last.base()) uncached_end_ = std::min(uncached_end_, last.size());
  report.segments_deleted = gone.size();
  report.bytes_removed = old_size - size_bytes();
  fail_waiters_above(report.end, StorageErrc::truncated);

  // The producer state as of the new end; snapshots above it are deleted.
  const RecoveryReport saved = recovery_;
  recovery_.producer_state_bytes = 0;
  recovery_.producer_snapshot.reset();
  const std::error_code rebuilt = load_producer_state(false);
  report.producer_state_bytes = recovery_.producer_state_bytes;
  report.producer_snapshot = recovery_.producer_snapshot;
  recovery_ = saved;
  if (rebuilt) return truncation_failed(rebuilt);

  if (auto ec = sync_truncation()) return truncation_failed(ec);
  unlink_deleted(gone);
  emit(Severity::info, "truncated to offset " + std::to_string(report.end.value()) + " from " +
                           std::to_string(old_end.value()) + ": " + std::to_string(report.bytes_removed) +
                           " bytes, " + std::to_string(report.segments_deleted) + " segments deleted");
  return report;
}

Result<TruncateReport> PartitionLog::truncate_fully(Offset start) {
  STRATA_TRYV(truncatable());
  TruncateReport report;
  report.end = start;
  report.bytes_removed = size_bytes();
  report.segments_deleted = segments_.size();
  const Offset old_start = log_start();
  const Offset old_end = log_end();
  STRATA_TRYV(epochs_.clear(true));
  for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
    if (auto ec = (*it)->mark_deleted(cache_)) return truncation_failed(ec);
  }
  auto fresh = std::make_unique<Segment>(dir_, start, options_.config.index_interval_bytes);
  if (auto ec = fresh->create(cache_, options_.clock->now_ms())) return truncation_failed(ec);
  std::deque<std::unique_ptr<Segment>> gone = std::move(segments_);
  segments_.clear();
  segments_.push_back(std::move(fresh));
  producers_.clear();
  if (auto ec = snapshots_.remove_all()) return truncation_failed(ec);
  fail_waiters_above(start, StorageErrc::truncated);
  durable_end_ = start;
  uncached_segment_ = start;
  uncached_end_ = 0;
  appended_since_snapshot_ = 0;
  jitter_drawn_ = false;
  held_segment_.reset();
  if (auto ec = sync_truncation()) return truncation_failed(ec);
  unlink_deleted(gone);
  emit(Severity::info, "truncated fully: offsets [" + std::to_string(old_start.value()) + ", " +
                           std::to_string(old_end.value()) + ") removed, the log starts empty at " +
                           std::to_string(start.value()));
  return report;
}

}  // namespace strata::storage
