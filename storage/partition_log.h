// A partition: an ordered list of segments, the last one active, with
// append, read by offset or time, group-commit durability, roll, retention
// and crash recovery on open.
//
// Threads: everything on the owning shard's thread, except
// SyncTicket::run(). Lifetime: the FileCache outlives the log. Destroying a
// log without close() writes nothing more: exactly what a crash leaves.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <span>

#include "protocol/batch_validator.h"
#include "storage/clock.h"
#include "storage/leader_epoch_cache.h"
#include "storage/log_config.h"
#include "storage/producer_snapshots.h"
#include "storage/producer_state.h"
#include "storage/retention_status.h"
#include "storage/segment.h"
#include "storage/sync_ticket.h"
#include "storage/timestamp_bounds.h"

namespace strata::storage {

struct PartitionOptions {
  LogConfig config;
  const Clock* clock = &SystemClock::instance();
  EventLog events;
  // Stamped into every batch append() writes (partitionLeaderEpoch); 0
  // until replication gives partitions leaders with epochs. Changed live
  // by PartitionLog::set_leader_epoch.
  std::int32_t leader_epoch = 0;
};

struct AppendResult {
  Offset base;
  Offset last;
  // The batch was a producer's retry of one already appended: nothing was
  // written and base/last are the first append's.
  bool duplicate = false;
};

struct RecoveryReport {
  bool clean_shutdown = false;
  std::size_t segments = 0;
  std::uint64_t bytes_scanned = 0;     // validated batch by batch
  std::uint64_t bytes_truncated = 0;   // dropped from torn or corrupt tails
  bool corruption_found = false;       // a complete batch failed validation
  std::size_t segments_recovered = 0;  // segments that needed a scan
  std::size_t leftovers_removed = 0;   // *.deleted and *.tmp files swept
  // Bytes read to rebuild the producer state: the marker or snapshot file,
  // then the log headers after it (or the log's tail without one).
  std::uint64_t producer_state_bytes = 0;
  std::optional<Offset> producer_snapshot;  // the snapshot file loaded, if one was
};

// What a truncation did (PartitionLog::truncate_to, truncate_fully).
struct TruncateReport {
  Offset end;  // the new log end
  std::size_t segments_deleted = 0;
  std::uint64_t bytes_removed = 0;
  // The producer state rebuilt for the new end: bytes read, and the
  // snapshot file it started from, if one.
  std::uint64_t producer_state_bytes = 0;
  std::optional<Offset> producer_snapshot;
};

struct RetentionReport {
  std::size_t segments_deleted = 0;
  std::uint64_t bytes_freed = 0;
  bool rolled_active = false;
};

class PartitionLog {
 public:
  using DurableCallback = std::function<void(std::error_code)>;

  // Opens or creates the partition in dir, recovering as needed.
  [[nodiscard]] static Result<std::unique_ptr<PartitionLog>> open(fs::path dir, FileCache& cache,
                                                                  PartitionOptions options);
  ~PartitionLog();
  PartitionLog(const PartitionLog&) = delete;
  PartitionLog& operator=(const PartitionLog&) = delete;

  // Stamps the batch with the next offset and appends it, rolling first if
  // the active segment is full or old. The batch's bytes are modified.
  // A producer's batch is checked against its sequence first (see
  // producer_state.h): a retry is answered as a duplicate, a gap is
  // StorageErrc::out_of_order_sequence. A CreateTime batch with a record
  // outside message.timestamp.before/after.max.ms of the clock is
  // StorageErrc::invalid_timestamp, and nothing of it is written. In a
  // LogAppendTime log the batch is stamped with the clock's time
  // (protocol::stamp_log_append_time).
  [[nodiscard]] Result<AppendResult> append(const protocol::ValidatedBatch& batch);
  // A follower's append (partition_replica_append.cpp): one whole batch
  // exactly as the leader stored it, at its own baseOffset, keeping its
  // partitionLeaderEpoch, timestamps and attributes (nothing is stamped;
  // the bytes are not modified). It is validated as recovery validates
  // (framing, CRC, every record), so a batch a replica takes is one its own
  // recovery keeps. REQUIRES baseOffset == log_end(), else
  // StorageErrc::replica_offset_mismatch (a gap or an overlap); an epoch
  // older than the latest recorded is StorageErrc::leader_epoch_regression
  // (truncate by the leader's epoch history first). A newer epoch is
  // recorded in the epoch history at baseOffset. The producer state learns
  // the batch (so this replica, once leader, answers a producer's retry of
  // it as a duplicate) but never refuses it: the leader decided. Rolls,
  // indexes and group commit (wait_durable) as append.
  [[nodiscard]] Result<AppendResult> append_replica(protocol::Bytes batch);

  // What append would refuse the batch for now, with the numbers for the
  // producer's message; nullopt if its timestamps are within bounds.
  [[nodiscard]] std::optional<TimestampRefusal> check_timestamps(const protocol::ValidatedBatch& batch) const;

  // Whole batches from the one holding `from`; empty at the log end;
  // StorageErrc::offset_out_of_range below the start or past the end.
  [[nodiscard]] Result<SegmentSlice> read(Offset from, std::uint64_t max_bytes);
  // The first offset whose timestamp is >= ts; nullopt if none is.
  [[nodiscard]] Result<std::optional<Offset>> offset_for_timestamp(std::int64_t ts);

  [[nodiscard]] Offset log_start() const noexcept { return segments_.front()->base(); }
  [[nodiscard]] Offset log_end() const noexcept { return segments_.back()->next_offset(); }
  [[nodiscard]] Offset durable_end() const noexcept { return durable_end_; }
  [[nodiscard]] std::uint64_t size_bytes() const noexcept;
  [[nodiscard]] std::size_t segment_count() const noexcept { return segments_.size(); }
  [[nodiscard]] const RecoveryReport& recovery_report() const noexcept { return recovery_; }
  [[nodiscard]] const LogConfig& config() const noexcept { return options_.config; }
  [[nodiscard]] const fs::path& directory() const noexcept { return dir_; }
  // Why the log refuses writes (the failed fsync's error), or empty.
  [[nodiscard]] std::error_code read_only_reason() const noexcept { return read_only_; }

  // Group commit. begin_sync captures everything appended so far (nullopt
  // if it is already durable or a sync is in flight); run the ticket off
  // the event loop; complete_sync answers waiters in offset order and
  // returns true if more waiters need another sync. REQUIRES: the log
  // outlives every ticket it handed out until complete_sync is called.
  [[nodiscard]] std::optional<SyncTicket> begin_sync();
  bool complete_sync(const SyncTicket& ticket, std::error_code result);
  // Syncs everything appended so far on the calling thread, even while a
  // group-commit ticket is in flight.
  [[nodiscard]] std::error_code sync();
  // Calls cb once every offset below `end` is durable, or with the error
  // that made that impossible. Immediately if already durable.
  void wait_durable(Offset end, DurableCallback cb);
  [[nodiscard]] bool sync_in_flight() const noexcept { return syncs_in_flight_ > 0; }
  // pagecache.keep.bytes is set and the bytes appended since the last sync
  // began reach max(keep, kMinCacheDropSync): syncing now lets them leave
  // the cache before the next background flush, so a fast writer's cache
  // stays near keep plus this much instead of a flush interval's worth.
  [[nodiscard]] bool cache_drop_due() const noexcept;
  static constexpr std::uint64_t kMinCacheDropSync = 16 << 20;

  // Leader epochs (partition_epochs.cpp; KIP-101/279). Makes `epoch` the
  // one append() stamps and, if it is newer than the latest recorded,
  // records it in the epoch history as starting at log_end(), durably
  // (fsynced) before returning. An older epoch is
  // StorageErrc::leader_epoch_regression, a negative one
  // std::errc::invalid_argument; the same epoch again changes nothing.
  [[nodiscard]] std::error_code set_leader_epoch(std::int32_t epoch);
  [[nodiscard]] std::int32_t leader_epoch() const noexcept { return options_.leader_epoch; }
  // Kafka's OffsetsForLeaderEpoch answer from this log's history: the
  // largest epoch <= `epoch` and the offset where it ended (the next
  // epoch's start; log_end() for the latest). nullopt (UNDEFINED_EPOCH)
  // for an epoch newer than the latest, a negative one, or an empty
  // history; an epoch older than every entry answers (epoch, first
  // entry's start).
  [[nodiscard]] std::optional<EpochEndOffset> end_offset_for(std::int32_t epoch) const {
    return epochs_.end_offset_for(epoch, log_end());
  }
  // (epoch, start offset) entries, oldest first.
  [[nodiscard]] const std::vector<EpochEntry>& epoch_history() const noexcept { return epochs_.entries(); }

  // Truncation (partition_truncate.cpp), for a follower whose log diverged
  // from its leader's. Drops every offset at and above `end`; when `end`
  // falls inside a batch, the whole batch goes (the new end is its base, so
  // report.end <= end). Later segments are deleted, the containing one is
  // cut (log, offset index, time index); epoch-history entries starting at
  // or above the new end are removed (at or above `end` when it is at or
  // past log_end(): no data is cut then, but a follower forgets an epoch it
  // only recorded at its log end, as Kafka's truncateTo does); the
  // producer state is rebuilt for the new end (newest snapshot at or below
  // it plus the batches after it, else the log's tail) and the snapshots
  // above it deleted. Durable before it returns: the epoch file first,
  // then the cut files, the directory and a checkpoint at the new end, so
  // a crash afterwards never brings truncated data or producer state back
  // (a crash during it leaves the old or the new log, and the epoch history
  // is checked against the log on open). Waiters for offsets above the new
  // end fail with StorageErrc::truncated. end > log_end() cuts nothing.
  // end < log_start() is truncate_fully(end). REQUIRES: no sync ticket in
  // flight (else StorageErrc::sync_in_flight: retry after complete_sync).
  // An I/O failure after the first file was cut leaves the log read-only
  // (read_only_reason); reopening it recovers.
  [[nodiscard]] Result<TruncateReport> truncate_to(Offset end);
  // Kafka's truncateFullyAndStartAt: deletes every segment and starts an
  // empty log at `start` (above or below the old log), with no producer
  // state, snapshot or epoch history. Durable and REQUIRES as truncate_to.
  [[nodiscard]] Result<TruncateReport> truncate_fully(Offset start);

  [[nodiscard]] std::error_code roll();
  // One retention pass. It also logs, once per segment, when the oldest
  // segment has outstayed retention.ms at two passes in a row, and why
  // (describe_hold).
  [[nodiscard]] Result<RetentionReport> enforce_retention();
  // What keeps the oldest segment, as of the clock's now.
  [[nodiscard]] RetentionStatus retention_status() const;
  // Applies new settings live; the next append or retention pass uses them.
  [[nodiscard]] std::error_code set_config(const LogConfig& config);

  // Clean shutdown: sync everything, write a durable checkpoint and the
  // clean-shutdown marker, so the next open scans nothing.
  [[nodiscard]] std::error_code close();
  // For a log whose directory is about to be deleted: closes it writing
  // nothing (no sync, checkpoint or marker), drops its cached descriptors
  // and fails durability waiters with StorageErrc::closed. A sync ticket
  // already running still writes into the directory: the caller deletes it
  // only once sync_in_flight() is false. Owner thread only.
  void abandon();
  // close() of many logs at once (a broker shutting down), with two or
  // three file-system syncs in all instead of ~7 fsyncs per log, each a
  // journal commit: everything appended and every index, sync; a checkpoint
  // for logs that have none yet, sync; the clean-shutdown markers, sync. So
  // a marker can become durable only after all it vouches for is. A log it cannot vouch for (a write or
  // a sync failed) is left without a marker, recovered by its next open;
  // the first such error is returned. REQUIRES: every log's FileCache uses
  // fsys; called on the logs' owner thread (or with every owner stopped);
  // no sync ticket running.
  [[nodiscard]] static std::error_code close_many(FileSystem& fsys, std::span<PartitionLog* const> logs);

 private:
  PartitionLog(fs::path dir, FileCache& cache, PartitionOptions options);
  [[nodiscard]] std::error_code recover();
  // The active segment a batch of `bytes` ending at `last` goes to, rolling
  // first if the active one is full or old (or the batch's offsets would
  // not fit its 32-bit relative offsets).
  [[nodiscard]] Result<Segment*> active_for(std::uint64_t bytes, Offset last, std::int64_t now);
  // The bookkeeping after either append path wrote a batch.
  void appended(const protocol::BatchHeader& header, std::uint64_t bytes);
  // A batch of `epoch` starts at `start`: refuses an older epoch than the
  // latest recorded, records a newer one (written now, synced with the
  // next group commit, which also syncs the batch; see load_epochs).
  [[nodiscard]] std::error_code note_epoch(std::int32_t epoch, Offset start);
  // Records `epoch` at `start` with the given durability; logs it.
  [[nodiscard]] std::error_code record_epoch(std::int32_t epoch, Offset start, bool durable);
  // Open: the epoch history from its file, cut to the recovered log, and
  // checked against the log's first and last batches; rebuilt from the
  // log's batch headers when missing, damaged or not matching.
  [[nodiscard]] std::error_code load_epochs();
  [[nodiscard]] Result<std::vector<EpochEntry>> epochs_from_log();
  [[nodiscard]] Result<bool> epochs_match_log(const std::vector<EpochEntry>& entries);
  // truncate_to's checks before anything is cut.
  [[nodiscard]] std::error_code truncatable();
  // A truncation failed part way: the log stops taking writes.
  std::error_code truncation_failed(std::error_code ec);
  // Waiters for offsets above `end` fail with ec.
  void fail_waiters_above(Offset end, std::error_code ec);
  // After a truncation: sync what it changed, checkpoint at the new end.
  [[nodiscard]] std::error_code sync_truncation();
  // The last step of a truncation: unlinks the segments' *.deleted files
  // (a failure is logged; the next open sweeps them).
  void unlink_deleted(const std::deque<std::unique_ptr<Segment>>& gone);
  // The producer state as of log_end(): from the clean-shutdown marker's
  // snapshot when it is valid, else from the newest snapshot file the log
  // reaches plus the batches after it, else from the batch headers of the
  // log's last 64 MiB (whole segments; see partition_open.cpp).
  [[nodiscard]] std::error_code load_producer_state(bool clean);
  // Records in producers_ every batch ending at or after `from`.
  [[nodiscard]] std::error_code replay_producers(Offset from);
  // Writes a producer-state snapshot file as of log_end(), queued for the
  // next sync. A failure is logged and returned; only a roll fails for it
  // (elsewhere the next crash restart uses an older snapshot or scans).
  [[nodiscard]] std::error_code take_snapshot();
  // Creates the clean-shutdown marker holding the producer-state snapshot
  // (empty when the disk has no block for it: still a valid marker).
  // REQUIRES: no marker in the directory (clean_marker_present_ is false).
  [[nodiscard]] std::error_code write_marker(bool sync);
  // close()'s writes: indexes, sync, checkpoint, clean-shutdown marker.
  [[nodiscard]] std::error_code write_clean_shutdown();
  // close()'s end whether or not `written` (the marker's outcome) failed.
  [[nodiscard]] std::error_code finish_close(std::error_code written);
  // Writes every segment's pending index entries, queueing their files for
  // the next sync.
  // A leader-epoch file written without a sync joins the next group
  // commit: its contents and (it was renamed into place) its directory.
  void queue_epoch_file_sync();
  [[nodiscard]] std::error_code flush_pending_indexes();
  // Everything appended is durable now (close_many's first sync).
  void mark_all_durable();
  [[nodiscard]] std::optional<SyncTicket> make_ticket();
  [[nodiscard]] std::error_code sweep_leftovers(const std::vector<std::string>& names);
  [[nodiscard]] std::error_code roll_at(std::int64_t now_ms);
  // This active segment's segment.jitter.ms draw (see LogConfig).
  [[nodiscard]] std::int64_t roll_jitter_ms();
  [[nodiscard]] std::error_code writable();
  [[nodiscard]] std::error_code save_checkpoint(bool durable);
  // enforce_retention's log line about a segment kept past retention.ms.
  void note_held_segment();
  [[nodiscard]] std::error_code delete_front_segments(std::size_t count, RetentionReport& report);
  void fail_waiters(std::error_code ec);
  void emit(Severity severity, const std::string& message) const;
  [[nodiscard]] Segment& segment_for(Offset offset) noexcept;

  fs::path dir_;
  FileCache& cache_;
  PartitionOptions options_;
  std::deque<std::unique_ptr<Segment>> segments_;
  ProducerState producers_;
  ProducerSnapshots snapshots_;
  LeaderEpochCache epochs_;
  std::uint64_t appended_since_snapshot_ = 0;
  Offset durable_end_;
  Offset checkpoint_segment_;       // where the last completed sync left off
  std::uint64_t checkpoint_position_ = 0;
  bool clean_marker_present_ = false;
  bool checkpoint_on_disk_ = false;  // a valid checkpoint file is in dir_ (durable or not)
  bool dir_sync_pending_ = false;
  // Of segments rolled since the last sync, and snapshot files.
  std::vector<fs::path> unsynced_index_files_;
  // Where the active segment's page-cache dropping got to (pagecache.keep.bytes).
  Offset uncached_segment_;
  std::uint64_t uncached_end_ = 0;
  std::uint64_t appended_since_ticket_ = 0;
  bool jitter_drawn_ = false;  // for the active segment
  std::int64_t jitter_ms_ = 0;
  std::minstd_rand jitter_rng_{std::random_device{}()};
  std::optional<Offset> held_segment_;  // oldest segment found past retention.ms at the last pass
  bool held_logged_ = false;
  int syncs_in_flight_ = 0;
  bool closed_ = false;
  std::error_code read_only_;
  std::deque<std::pair<Offset, DurableCallback>> waiters_;
  RecoveryReport recovery_;
};

}  // namespace strata::storage
