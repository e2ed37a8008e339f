#include "storage/partition_log.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <limits>

#include "storage/checkpoint.h"
#include "storage/storage_errc.h"

namespace strata::storage {

PartitionLog::PartitionLog(fs::path dir, FileCache& cache, PartitionOptions options)
    : dir_(std::move(dir)), cache_(cache), options_(std::move(options)),
      snapshots_(cache_.file_system(), dir_),
      epochs_(cache_.file_system(), dir_) {}

PartitionLog::~PartitionLog() {
  // A crash, as far as the disk knows; waiters learn the log is gone.
  fail_waiters(StorageErrc::closed);
}

void PartitionLog::emit(Severity severity, const std::string& message) const {
  if (options_.events) options_.events(severity, dir_.string() + ": " + message);
}

std::uint64_t PartitionLog::size_bytes() const noexcept {
  std::uint64_t total = 0;
  for (const auto& s : segments_) total += s->size();
  return total;
}

Segment& PartitionLog::segment_for(Offset offset) noexcept {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](Offset o, const std::unique_ptr<Segment>& s) { return o < s->base(); });
  return **std::prev(it);  // REQUIRES: offset >= log_start()
}

std::error_code PartitionLog::writable() {
  if (closed_) return StorageErrc::closed;
  if (read_only_) return StorageErrc::read_only;
  if (clean_marker_present_) {
    // From the first change on, a crash must not pass for a clean shutdown.
    auto& fsys = cache_.file_system();
    if (auto ec = fsys.remove(dir_ / kCleanShutdownFile)) return ec;
    if (auto ec = fsys.sync_directory(dir_)) return ec;
    clean_marker_present_ = false;
  }
  return {};
}

std::optional<TimestampRefusal> PartitionLog::check_timestamps(const protocol::ValidatedBatch& batch) const {
  return check_timestamp_bounds(options_.config, batch.min_timestamp(), batch.header().max_timestamp,
                                options_.clock->now_ms());
}

std::int64_t PartitionLog::roll_jitter_ms() {
  // Drawn once per active segment, as Kafka does: below both
  // segment.jitter.ms and segment.ms, so a segment's age roll stays >= 1 ms.
  const auto& cfg = options_.config;
  if (!jitter_drawn_) {
    const std::int64_t range = std::min(cfg.segment_jitter_ms, cfg.segment_ms);
    std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(range - 1, 0));
    jitter_ms_ = range > 0 ? pick(jitter_rng_) : 0;
    jitter_drawn_ = true;
  }
  return jitter_ms_;
}

Result<Segment*> PartitionLog::active_for(std::uint64_t bytes, Offset last, std::int64_t now) {
  const auto& cfg = options_.config;
  Segment* active = segments_.back().get();
  const bool full = active->size() + bytes > cfg.segment_bytes;
  const bool old =
      cfg.segment_ms != LogConfig::kDisabled && now - active->created_ms() >= cfg.segment_ms - roll_jitter_ms();
  const bool far = last - active->base() > std::numeric_limits<std::uint32_t>::max();
  if (!active->empty() && (full || old || far)) {
    STRATA_TRYV(roll_at(now));
    active = segments_.back().get();
  }
  return active;
}

void PartitionLog::appended(const protocol::BatchHeader& header, std::uint64_t bytes) {
  appended_since_ticket_ += bytes;
  producers_.record(header);
  appended_since_snapshot_ += bytes;
  if (appended_since_snapshot_ >= ProducerSnapshots::kIntervalBytes) (void)take_snapshot();  // logged
}

Result<AppendResult> PartitionLog::append(const protocol::ValidatedBatch& batch) {
  STRATA_TRYV(writable());
  const SequenceCheck sequence = producers_.check(batch.header());
  if (sequence.verdict == SequenceCheck::Verdict::duplicate) {
    return AppendResult{sequence.original.base, sequence.original.last(), true};
  }
  if (sequence.verdict == SequenceCheck::Verdict::out_of_order) return StorageErrc::out_of_order_sequence;
  if (sequence.verdict == SequenceCheck::Verdict::fenced) return StorageErrc::producer_fenced;
  const std::int64_t now = options_.clock->now_ms();
  const auto& cfg = options_.config;
  if (check_timestamp_bounds(cfg, batch.min_timestamp(), batch.header().max_timestamp, now)) {
    return StorageErrc::invalid_timestamp;
  }
  const Offset base = log_end();
  STRATA_TRYV(note_epoch(options_.leader_epoch, base));
  STRATA_TRY(Segment* active, active_for(batch.bytes().size(), base + batch.header().last_offset_delta, now));
  protocol::stamp_base_offset(batch.bytes(), base.value());
  protocol::stamp_leader_epoch(batch.bytes(), options_.leader_epoch);
  protocol::BatchHeader header = batch.header();
  header.base_offset = base.value();
  header.leader_epoch = options_.leader_epoch;
  if (cfg.timestamp_type == TimestampType::log_append_time) {
    // The time index and retention then go by the broker's clock.
    protocol::stamp_log_append_time(batch.bytes(), now);
    header.attributes |= protocol::batch_attributes::kLogAppendTime;
    header.max_timestamp = now;
    header.crc = protocol::load_be<std::uint32_t>(batch.bytes().data() + protocol::batch_layout::kCrc);
  }
  STRATA_TRYV(active->append(cache_, header, batch.bytes()));
  appended(header, batch.bytes().size());
  return AppendResult{base, Offset(header.last_offset())};
}

Result<SegmentSlice> PartitionLog::read(Offset from, std::uint64_t max_bytes) {
  if (closed_) return StorageErrc::closed;
  if (from < log_start() || from > log_end()) return StorageErrc::offset_out_of_range;
  if (from == log_end()) {
    SegmentSlice empty;
    empty.first_offset = empty.next_offset = from;
    return empty;
  }
  return segment_for(from).read(cache_, from, max_bytes);
}

Result<std::optional<Offset>> PartitionLog::offset_for_timestamp(std::int64_t ts) {
  if (closed_) return StorageErrc::closed;
  for (const auto& s : segments_) {
    if (s->max_timestamp() < ts) continue;
    STRATA_TRY(auto found, s->find_timestamp(cache_, ts));
    if (found) return found;
  }
  return std::optional<Offset>{};
}

std::error_code PartitionLog::roll() {
  if (auto ec = writable()) return ec;
  if (segments_.back()->empty()) return {};
  return roll_at(options_.clock->now_ms());
}

std::error_code PartitionLog::roll_at(std::int64_t now_ms) {
  // The state as of the new segment's base; first, so the closed segment's
  // index entries stay the last write of a roll, and a full disk fails the
  // roll (and the append that needed it) before anything changed.
  if (auto ec = take_snapshot()) return ec;
  Segment& old = *segments_.back();
  if (auto ec = old.flush_indexes(cache_)) return ec;
  auto next = std::make_unique<Segment>(dir_, old.next_offset(), options_.config.index_interval_bytes);
  if (auto ec = next->create(cache_, now_ms)) return ec;
  emit(Severity::info, "rolled segment " + Segment::file_stem(old.base()) + " at offset " +
                           std::to_string(old.next_offset().value()) + " (" + std::to_string(old.size()) +
                           " bytes)");
  for (auto& path : Segment::index_paths(dir_, old.base())) {
    unsynced_index_files_.push_back(std::move(path));
  }
  segments_.push_back(std::move(next));
  jitter_drawn_ = false;
  dir_sync_pending_ = true;
  return {};
}

std::error_code PartitionLog::take_snapshot() {
  appended_since_snapshot_ = 0;
  auto written = snapshots_.write(producers_, log_end());
  if (!written) {
    emit(Severity::warn, "could not write the producer-state snapshot at offset " +
                             std::to_string(log_end().value()) + " (" + written.error().message() +
                             "); a crash restart uses an older one or scans the log");
    return written.error();
  }
  unsynced_index_files_.push_back(std::move(written).value());
  dir_sync_pending_ = true;
  return {};
}

std::optional<SyncTicket> PartitionLog::begin_sync() {
  if (syncs_in_flight_ > 0) return std::nullopt;
  return make_ticket();
}

namespace {
// At least the page size of the kernels strata runs on; only aligns advice.
constexpr std::uint64_t kPageBytes = 4096;
}  // namespace

bool PartitionLog::cache_drop_due() const noexcept {
  const std::int64_t keep = options_.config.pagecache_keep_bytes;
  return keep >= 0 && syncs_in_flight_ == 0 &&
         appended_since_ticket_ >= std::max(static_cast<std::uint64_t>(keep), kMinCacheDropSync);
}

std::optional<SyncTicket> PartitionLog::make_ticket() {
  if (closed_ || read_only_) return std::nullopt;
  if (durable_end_ == log_end() && !dir_sync_pending_ && unsynced_index_files_.empty()) return std::nullopt;
  SyncTicket ticket;
  appended_since_ticket_ = 0;
  ticket.fs_ = &cache_.file_system();
  ticket.dir_ = dir_;
  ticket.sync_dir_ = dir_sync_pending_;
  ticket.target_ = log_end();
  ticket.segment_base_ = segments_.back()->base();
  ticket.position_ = segments_.back()->size();
  // pagecache.keep.bytes: the newest `keep` bytes of log stay cached, the
  // rest of what this ticket syncs is dropped. Segments synced by earlier
  // tickets are not revisited, so up to about twice `keep` stays cached.
  const std::int64_t keep_config = options_.config.pagecache_keep_bytes;
  std::uint64_t keep = keep_config < 0 ? std::numeric_limits<std::uint64_t>::max()
                                       : static_cast<std::uint64_t>(keep_config);
  auto uncache_end = [&keep](std::uint64_t size) {
    const std::uint64_t kept = std::min(keep, size);
    keep -= kept;
    return size - kept;
  };
  // Every segment holding offsets at or past durable_end_, newest first.
  for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
    Segment& s = **it;
    if (s.next_offset() <= durable_end_ && !s.empty()) break;
    if (auto ec = s.flush_indexes(cache_)) {
      emit(Severity::warn, "could not write index entries: " + ec.message());
    }
    const std::uint64_t drop_end = uncache_end(s.size());
    if (it == segments_.rbegin()) {
      auto file = cache_.get(s.log_path());
      if (!file) {
        // Not a failed fsync (the data may still be written): fail only the
        // waiters, not the partition.
        emit(Severity::error, "cannot open " + s.log_path().string() + " to sync: " + file.error().message());
        fail_waiters(file.error());
        return std::nullopt;
      }
      ticket.active_ = std::move(file).value();
      // Each active byte is dropped once: later tickets start where this
      // ended, back at a page boundary, since the kernel keeps a page the
      // range covers only in part. Nothing when the kept tail grew past it.
      if (uncached_segment_ != s.base()) uncached_end_ = 0;
      uncached_segment_ = s.base();
      if (drop_end > uncached_end_) {
        ticket.active_uncache_begin_ = uncached_end_ / kPageBytes * kPageBytes;
        ticket.active_uncache_end_ = drop_end;
        uncached_end_ = drop_end;
      }
    } else {
      ticket.others_.push_back({s.log_path(), drop_end});
    }
    if (s.base() <= durable_end_) break;
  }
  for (auto& path : unsynced_index_files_) ticket.others_.push_back({std::move(path), 0});
  unsynced_index_files_.clear();
  if (dir_sync_pending_) {
    ticket.checkpoint_ = Checkpoint{log_start(), ticket.target_, ticket.segment_base_, ticket.position_};
  }
  dir_sync_pending_ = false;
  ++syncs_in_flight_;
  return ticket;
}

bool PartitionLog::complete_sync(const SyncTicket& ticket, std::error_code result) {
  --syncs_in_flight_;
  if (closed_) return false;
  if (result && !ticket.fsync_failed()) {
    // Nothing was lost: the data is still in the page cache. The waiters
    // this sync would have answered learn why; a later sync may succeed.
    emit(Severity::error, "sync could not run: " + result.message());
    dir_sync_pending_ = dir_sync_pending_ || ticket.sync_dir_;
    fail_waiters(result);
    return false;
  }
  if (result) {
    // Linux may have dropped the dirty pages it failed to write: retrying
    // could report success for data that is gone. Stop writing instead.
    read_only_ = result;
    emit(Severity::error, "fsync failed (" + result.message() + "); partition is now read-only");
    fail_waiters(result);
    return false;
  }
  durable_end_ = std::max(durable_end_, ticket.target_);
  if (ticket.target_ == durable_end_) {
    checkpoint_segment_ = ticket.segment_base_;
    checkpoint_position_ = ticket.position_;
  }
  if (ticket.checkpoint_) {
    checkpoint_on_disk_ = true;
  } else if (auto ec = save_checkpoint(false)) {
    emit(Severity::warn, "could not write checkpoint: " + ec.message());
  }
  while (!waiters_.empty() && waiters_.front().first <= durable_end_) {
    auto cb = std::move(waiters_.front().second);
    waiters_.pop_front();
    cb({});
  }
  return !waiters_.empty();
}

std::error_code PartitionLog::sync() {
  for (;;) {
    if (read_only_) return StorageErrc::read_only;
    // Not begin_sync: a ticket in flight elsewhere may not cover everything.
    auto ticket = make_ticket();
    if (!ticket) return closed_ ? make_error_code(StorageErrc::closed) : std::error_code{};
    const auto result = ticket->run();
    complete_sync(*ticket, result);
    if (result) return result;
  }
}

void PartitionLog::wait_durable(Offset end, DurableCallback cb) {
  if (read_only_) return cb(read_only_);
  if (closed_) return cb(StorageErrc::closed);
  if (end <= durable_end_) return cb({});
  // Appends come in offset order, so this is almost always the back.
  auto at = std::upper_bound(waiters_.begin(), waiters_.end(), end,
                             [](Offset e, const auto& w) { return e < w.first; });
  waiters_.emplace(at, end, std::move(cb));
}

void PartitionLog::fail_waiters(std::error_code ec) {
  auto waiting = std::move(waiters_);
  waiters_.clear();
  for (auto& [end, cb] : waiting) cb(ec);
}

std::error_code PartitionLog::save_checkpoint(bool durable) {
  Checkpoint cp;
  cp.log_start = log_start();
  cp.recovery_offset = durable_end_;
  cp.recovery_segment = checkpoint_segment_;
  cp.recovery_position = checkpoint_position_;
  const std::error_code ec = write_checkpoint(cache_.file_system(), dir_, cp, durable);
  checkpoint_on_disk_ = checkpoint_on_disk_ || !ec;
  return ec;
}

std::error_code PartitionLog::set_config(const LogConfig& config) {
  if (auto ec = config.validate()) return ec;
  options_.config = config;
  return {};
}

std::error_code PartitionLog::flush_pending_indexes() {
  for (const auto& s : segments_) {
    if (!s->indexes_pending()) continue;
    if (auto ec = s->flush_indexes(cache_)) return ec;
    for (auto& path : Segment::index_paths(dir_, s->base())) {
      unsynced_index_files_.push_back(std::move(path));
    }
  }
  return {};
}

std::error_code PartitionLog::write_clean_shutdown() {
  if (!read_only_ && !clean_marker_present_) {
    if (auto ec = flush_pending_indexes()) return ec;
    if (auto ec = sync()) return ec;
    if (auto ec = segments_.back()->sync_indexes(cache_)) return ec;
    checkpoint_segment_ = segments_.back()->base();
    checkpoint_position_ = segments_.back()->size();
    if (auto ec = save_checkpoint(true)) return ec;
    if (auto ec = write_marker(true)) return ec;
    if (auto ec = cache_.file_system().sync_directory(dir_)) return ec;
  }
  return {};
}

std::error_code PartitionLog::write_marker(bool sync) {
  assert(!clean_marker_present_);
  // Also a snapshot file: it outlives the marker, which the first append
  // after the next start removes. Not needed for a clean close: logged.
  (void)take_snapshot();
  STRATA_TRY(auto marker, cache_.file_system().open(dir_ / kCleanShutdownFile, OpenMode::create_read_write));
  // From here on the marker is in the directory, durable or not: if the
  // log stays open after a failure, its next change must remove it.
  clean_marker_present_ = true;
  std::error_code ec = marker->append(producers_.encode(log_end()));
  if (ec && is_disk_full(ec)) {
    // The next open rebuilds the producer state from the log instead.
    emit(Severity::warn, "no space for the producer-state snapshot: " + ec.message());
    ec = marker->truncate(0);
  }
  if (!ec && sync) ec = marker->sync();
  return ec;
}

std::error_code PartitionLog::close() {
  if (closed_) return {};
  return finish_close(write_clean_shutdown());
}

std::error_code PartitionLog::finish_close(std::error_code written) {
  // Even when that failed, no descriptor stays cached: a caller that gives
  // the log up anyway (a topic deleted on a full disk) must not pin the space
  // of the files it then unlinks. The log stays usable; the cache reopens.
  for (const auto& s : segments_) {
    cache_.evict(s->log_path());
    for (const auto& path : Segment::index_paths(dir_, s->base())) cache_.evict(path);
  }
  if (written) return written;
  closed_ = true;
  // A read-only log writes no marker: the next open must recover.
  const std::error_code result = read_only_;
  fail_waiters(read_only_ ? read_only_ : make_error_code(StorageErrc::closed));
  return result;
}

}  // namespace strata::storage
