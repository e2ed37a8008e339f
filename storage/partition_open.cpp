// Opening a partition: sweep leftovers, load what is trusted, scan what is
// not (DESIGN decision 3).
#include <algorithm>
#include <cerrno>

#include "storage/batch_cursor.h"
#include "storage/checkpoint.h"
#include "storage/partition_log.h"
#include "storage/storage_errc.h"

namespace strata::storage {

namespace {
// How much of the log's tail rebuilds the producer state when neither the
// clean-shutdown marker nor a snapshot file holds it: whole segments from
// the back until they hold this many bytes, and at least two. A batch a
// producer may resend was in flight at the crash, so it is among the last
// few per producer; a producer whose last batch is older is forgotten (its
// next batch accepted at any sequence).
constexpr std::uint64_t kProducerScanBytes = 64u << 20;
constexpr std::size_t kProducerScanSegments = 2;
constexpr std::size_t kMaxMarkerBytes = 1u << 20;
}  // namespace

Result<std::unique_ptr<PartitionLog>> PartitionLog::open(fs::path dir, FileCache& cache, PartitionOptions options) {
  STRATA_TRYV(options.config.validate());
  STRATA_TRYV(cache.file_system().create_directories(dir));
  std::unique_ptr<PartitionLog> log(new PartitionLog(std::move(dir), cache, std::move(options)));
  STRATA_TRYV(log->recover());
  return log;
}

std::error_code PartitionLog::sweep_leftovers(const std::vector<std::string>& names) {
  auto& fsys = cache_.file_system();
  for (const auto& name : names) {
    if (name.ends_with(".deleted") || name.ends_with(".tmp")) {
      if (auto ec = fsys.remove(dir_ / name)) return ec;
      ++recovery_.leftovers_removed;
    }
  }
  return {};
}

std::error_code PartitionLog::load_producer_state(bool clean) {
  producers_.clear();
  if (clean) {
    auto data = read_small_file(cache_.file_system(), dir_ / kCleanShutdownFile, kMaxMarkerBytes);
    if (data) {
      recovery_.producer_state_bytes += data.value().size();
      if (auto state = ProducerState::decode(data.value(), log_end())) {
        producers_ = std::move(*state);
        return {};
      }
    }
    // An empty marker (no space for the snapshot, or written before there
    // was one) or a damaged one: the snapshot files or the log say the same.
  }
  // The newest snapshot the log still reaches, then the batches after it.
  STRATA_TRY(auto usable, snapshots_.usable_below(log_end()));
  for (const Offset at : usable) {
    if (at < log_start()) break;  // retention took the batches after it
    auto state = snapshots_.load(at, recovery_.producer_state_bytes);
    if (!state) {
      emit(Severity::warn, "producer-state snapshot " + ProducerSnapshots::file_name(at) +
                               " is damaged or not for this log; trying an older one");
      continue;
    }
    producers_ = std::move(*state);
    recovery_.producer_snapshot = at;
    return replay_producers(at);
  }
  // None (a log from before snapshots, or every one damaged): whole
  // segments from the back until they hold kProducerScanBytes, and at
  // least two, so a retry of a batch that preceded a roll is recognised.
  std::size_t first = segments_.size();
  std::uint64_t bytes = 0;
  while (first > 0 && (bytes < kProducerScanBytes || segments_.size() - first < kProducerScanSegments)) {
    bytes += segments_[--first]->size();
  }
  if (bytes > 0) {
    // Info when there is none (a young log, or one from before snapshots);
    // a warning when the ones there could not be used.
    emit(usable.empty() ? Severity::info : Severity::warn,
         std::string(usable.empty() ? "no producer-state snapshot" : "no usable producer-state snapshot") +
             ": rebuilding the producer state from the last " + std::to_string(bytes) + " bytes of the log");
  }
  return replay_producers(segments_[first]->base());
}

std::error_code PartitionLog::replay_producers(Offset from) {
  if (from >= log_end()) return {};
  auto at = std::upper_bound(segments_.begin(), segments_.end(), from,
                             [](Offset o, const std::unique_ptr<Segment>& s) { return o < s->base(); });
  for (auto it = std::prev(at); it != segments_.end(); ++it) {
    Segment& s = **it;
    if (s.empty()) continue;
    std::uint64_t position = 0;
    if (from > s.base()) {
      STRATA_TRY(auto slice, s.read(cache_, from, 1));  // the batch holding `from`
      position = slice.position;
    }
    STRATA_TRY(auto file, cache_.get(s.log_path()));
    BatchCursor cursor(*file, position, s.size());
    for (;;) {
      auto header = cursor.peek();
      if (!header) {
        recovery_.producer_state_bytes += cursor.bytes_read();
        return header.error();
      }
      const auto& h = header.value();
      if (!h) break;
      if (h->last_offset() >= from.value()) producers_.record(*h);
      cursor.advance();
    }
    recovery_.producer_state_bytes += cursor.bytes_read();
  }
  return {};
}

std::error_code PartitionLog::recover() {
  auto& fsys = cache_.file_system();
  STRATA_TRY(auto names, fsys.list(dir_));
  if (auto ec = sweep_leftovers(names)) return ec;

  std::vector<Offset> bases;
  for (const auto& name : names) {
    if (auto base = Segment::parse_log_name(name)) bases.push_back(*base);
  }
  std::sort(bases.begin(), bases.end());
  STRATA_TRY(auto checkpoint, read_checkpoint(fsys, dir_));
  // From the listing, not another stat: start-up opens thousands of these.
  clean_marker_present_ = std::find(names.begin(), names.end(), kCleanShutdownFile) != names.end();
  snapshots_.found(names);
  const bool clean = clean_marker_present_ && checkpoint.has_value();
  recovery_.clean_shutdown = clean;
  checkpoint_on_disk_ = checkpoint.has_value();

  // Segments wholly before the checkpoint's segment were synced: load them.
  // The checkpoint's segment is scanned from its synced position, later
  // ones from their start. Without a checkpoint everything is scanned.
  const Offset scan_segment = checkpoint ? checkpoint->recovery_segment : Offset(0);
  const std::int64_t now = options_.clock->now_ms();
  const auto interval = options_.config.index_interval_bytes;
  for (std::size_t i = 0; i < bases.size(); ++i) {
    auto seg = std::make_unique<Segment>(dir_, bases[i], interval);
    const bool trusted = clean || (checkpoint && bases[i] < scan_segment);
    std::uint64_t scan_from = 0;
    bool needs_scan = !trusted;
    if (trusted) {
      if (auto ec = seg->load(cache_, now)) {
        if (ec != StorageErrc::corruption) return ec;
        emit(Severity::warn, "index of segment " + Segment::file_stem(bases[i]) + " is damaged; rebuilding it");
        needs_scan = true;
      }
    } else if (checkpoint && bases[i] == scan_segment) {
      scan_from = checkpoint->recovery_position;
    }
    if (needs_scan) {
      STRATA_TRY(auto report, seg->recover(cache_, scan_from));
      ++recovery_.segments_recovered;
      recovery_.bytes_scanned += report.bytes_scanned;
      recovery_.bytes_truncated += report.bytes_truncated;
      if (report.corrupt) {
        recovery_.corruption_found = true;
        emit(Severity::warn, "corrupt batch in segment " + Segment::file_stem(bases[i]) + ": truncated " +
                                 std::to_string(report.bytes_truncated) + " bytes");
      } else if (report.torn_tail) {
        emit(Severity::info, "dropped a torn tail of " + std::to_string(report.bytes_truncated) +
                                 " bytes from segment " + Segment::file_stem(bases[i]));
      }
    }
    // A segment must start where the previous one ends; whatever follows a
    // gap (a truncation above, or a lost file) cannot be trusted.
    if (!segments_.empty() && seg->base() != segments_.back()->next_offset()) {
      for (std::size_t j = i; j < bases.size(); ++j) {
        Segment dropped(dir_, bases[j], interval);
        if (auto ec = dropped.mark_deleted(cache_)) return ec;
        if (auto ec = dropped.remove_deleted(fsys)) return ec;
        emit(Severity::warn, "removed segment " + Segment::file_stem(bases[j]) + " after a gap in offsets");
      }
      break;
    }
    segments_.push_back(std::move(seg));
  }
  if (segments_.empty()) {
    const Offset start = checkpoint ? checkpoint->log_start : Offset(0);
    auto seg = std::make_unique<Segment>(dir_, start, interval);
    if (auto ec = seg->create(cache_, now)) return ec;
    segments_.push_back(std::move(seg));
    dir_sync_pending_ = true;
  }
  recovery_.segments = segments_.size();
  // Indexes rebuilt above are written now; after a crash they and the
  // directory entries the crashed process created join the next sync.
  for (const auto& s : segments_) {
    if (!s->indexes_pending()) continue;
    if (auto ec = s->flush_indexes(cache_)) {
      // Indexes are derived from the log and complete in memory: a full
      // disk must not keep the partition from opening (nor the broker from
      // starting, to delete a topic). The entries stay pending; the next
      // sync, roll or close writes them.
      if (!is_disk_full(ec)) return ec;
      emit(Severity::warn, "could not write the rebuilt indexes of segment " + Segment::file_stem(s->base()) +
                               ": " + ec.message());
      continue;
    }
    if (!clean) {
      for (auto& path : Segment::index_paths(dir_, s->base())) {
        unsynced_index_files_.push_back(std::move(path));
      }
    }
  }
  if (!clean) dir_sync_pending_ = true;
  // What recovery found is on disk but, after a crash, not known to be
  // synced past the checkpoint: the next sync covers it.
  durable_end_ = clean ? log_end() : checkpoint ? std::min(checkpoint->recovery_offset, log_end()) : log_start();
  durable_end_ = std::max(durable_end_, log_start());
  if (checkpoint && !clean && durable_end_ == checkpoint->recovery_offset &&
      segment_for(durable_end_).base() == checkpoint->recovery_segment) {
    checkpoint_segment_ = checkpoint->recovery_segment;
    checkpoint_position_ = checkpoint->recovery_position;
  } else if (durable_end_ == log_end()) {
    checkpoint_segment_ = segments_.back()->base();
    checkpoint_position_ = segments_.back()->size();
  } else {
    checkpoint_segment_ = log_start();
    checkpoint_position_ = 0;
  }
  if (auto ec = load_producer_state(clean)) return ec;
  if (auto ec = load_epochs()) return ec;
  if (bases.empty()) {
    emit(Severity::debug, "created an empty log at offset " + std::to_string(log_start().value()));
    return {};
  }
  emit(clean ? Severity::debug : Severity::info,
       std::string(clean ? "opened after clean shutdown" : "recovered") + ": " + std::to_string(segments_.size()) +
           " segments, offsets [" + std::to_string(log_start().value()) + ", " +
           std::to_string(log_end().value()) + "), scanned " + std::to_string(recovery_.bytes_scanned) +
           " bytes; producer state: read " + std::to_string(recovery_.producer_state_bytes) + " bytes" +
           (recovery_.producer_snapshot ? " from snapshot " + std::to_string(recovery_.producer_snapshot->value())
                                        : std::string()));
  return {};
}

}  // namespace strata::storage
