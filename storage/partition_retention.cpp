// Retention (DESIGN decision 6): closed segments go, oldest first, while the
// partition is over retention.bytes or their newest record is older than
// retention.ms; an over-age active segment is rolled so that it can go too.
// What keeps the oldest segment is reported (retention_status) and logged
// once when it outstays retention.ms.
#include "storage/checkpoint.h"
#include "storage/partition_log.h"
#include "storage/time_format.h"

namespace strata::storage {

RetentionStatus PartitionLog::retention_status() const {
  const Segment& oldest = *segments_.front();
  RetentionStatus s = classify_retention(options_.config, options_.clock->now_ms(), segments_.size() == 1,
                                         oldest.max_timestamp(), size_bytes());
  s.oldest_base = oldest.base();
  s.oldest_size = oldest.size();
  s.segments = segments_.size();
  return s;
}

void PartitionLog::note_held_segment() {
  // Outstays retention.ms: closed (rolled when the next segment was
  // created, so every append to it is older than that) longer than
  // retention.ms ago, yet not deleted. Logged when two passes in a row,
  // a whole retention interval apart, find the same segment so.
  const auto& cfg = options_.config;
  const std::int64_t now = options_.clock->now_ms();
  const bool overdue = cfg.retention_ms != LogConfig::kDisabled && segments_.size() > 1 &&
                       now - segments_[1]->created_ms() > cfg.retention_ms;
  if (!overdue) {
    held_segment_.reset();
    return;
  }
  const Offset base = segments_.front()->base();
  if (held_segment_ != base) {
    held_segment_ = base;
    held_logged_ = false;
    return;
  }
  if (held_logged_) return;
  held_logged_ = true;
  const RetentionStatus status = retention_status();
  emit(Severity::warn, "retention keeps segment " + Segment::file_stem(base) + " (" +
                           std::to_string(status.oldest_size) + " bytes, largest timestamp " +
                           format_utc_ms(status.oldest_max_timestamp) + ") past retention.ms=" +
                           std::to_string(cfg.retention_ms) + ": " + describe_hold(status, cfg));
}

Result<RetentionReport> PartitionLog::enforce_retention() {
  RetentionReport report;
  if (closed_ || read_only_) return report;
  const auto& cfg = options_.config;
  const std::int64_t now = options_.clock->now_ms();
  const bool by_time = cfg.retention_ms != LogConfig::kDisabled;
  const bool by_size = cfg.retention_bytes != LogConfig::kDisabled;
  if (!by_time && !by_size) {
    held_segment_.reset();
    return report;
  }
  auto expired = [&](const Segment& s) { return by_time && s.max_timestamp() < now - cfg.retention_ms; };

  const Segment& active = *segments_.back();
  if (!active.empty() && expired(active)) {
    STRATA_TRYV(writable());
    STRATA_TRYV(roll_at(now));
    report.rolled_active = true;
  }
  std::uint64_t total = size_bytes();
  std::size_t doomed = 0;
  for (; doomed + 1 < segments_.size(); ++doomed) {
    const Segment& s = *segments_[doomed];
    const bool over_size = by_size && total > static_cast<std::uint64_t>(cfg.retention_bytes);
    if (!over_size && !expired(s)) break;
    total -= s.size();
  }
  if (doomed > 0) {
    STRATA_TRYV(writable());
    STRATA_TRYV(delete_front_segments(doomed, report));
  }
  note_held_segment();
  return report;
}

std::error_code PartitionLog::delete_front_segments(std::size_t count, RetentionReport& report) {
  // Rename first, then record the new log start, then unlink: a crash at
  // any point leaves either the segment or a *.deleted leftover that the
  // next open sweeps; never a hole in the middle of the log.
  std::vector<std::unique_ptr<Segment>> gone;
  for (std::size_t i = 0; i < count; ++i) {
    Segment& s = *segments_.front();
    if (auto ec = s.mark_deleted(cache_)) return ec;
    report.bytes_freed += s.size();
    ++report.segments_deleted;
    emit(Severity::info, "retention deleted segment " + Segment::file_stem(s.base()) + " (" +
                             std::to_string(s.size()) + " bytes, offsets up to " +
                             std::to_string(s.next_offset().value()) + ")");
    gone.push_back(std::move(segments_.front()));
    segments_.pop_front();
  }
  if (durable_end_ < log_start()) durable_end_ = log_start();
  if (checkpoint_segment_ < log_start()) {
    checkpoint_segment_ = log_start();
    checkpoint_position_ = 0;
  }
  if (auto ec = save_checkpoint(false)) emit(Severity::warn, "could not write checkpoint: " + ec.message());
  // Replaying from a snapshot below the log start would miss batches.
  if (auto ec = snapshots_.remove_below(log_start())) return ec;
  // The epoch history starts where the log now does (synced with the next
  // group commit; an older file is cut the same way on open).
  if (auto cut = epochs_.truncate_from_start(log_start(), false); !cut) {
    emit(Severity::warn, "could not write the leader-epoch history: " + cut.error().message());
  } else if (cut.value()) {
    queue_epoch_file_sync();
  }
  for (const auto& s : gone) {
    if (auto ec = s->remove_deleted(cache_.file_system())) return ec;
  }
  return {};
}

}  // namespace strata::storage
