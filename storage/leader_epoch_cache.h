// A partition's leader-epoch history (Kafka's LeaderEpochFileCache,
// KIP-101/279): for each leader epoch that wrote to the log, the offset of
// its first batch, kept in memory and in `leader-epoch-checkpoint`
// (leader_epoch_file.h). A follower that diverged from a new leader finds
// where by asking the leader end_offset_for(its latest epoch) and truncates
// there, never to the high watermark.
//
// Invariants: epochs and start offsets strictly increase; every epoch >= 0.
// Bound: kMaxEpochEntries entries (one per leader election that wrote or
// was recorded while retention kept its batches); beyond it the oldest
// entry is dropped (logged by the caller), after which end_offset_for of an
// epoch older than the oldest kept answers the oldest kept start.
//
// Each change that returns success was written to the file first (durably
// when asked), so memory never runs ahead of the disk.
// Threads: owned by its PartitionLog, on the owner's thread.
#pragma once

#include <optional>
#include <vector>

#include "storage/leader_epoch_file.h"

namespace strata::storage {

// What OffsetsForLeaderEpoch answers: the largest epoch <= the one asked
// and the offset where it ended (the next epoch's start offset, or the log
// end for the latest epoch).
struct EpochEndOffset {
  std::int32_t epoch = 0;
  Offset end;
  bool operator==(const EpochEndOffset&) const = default;
};

class LeaderEpochCache {
 public:
  LeaderEpochCache(FileSystem& fs, fs::path dir) : fs_(fs), dir_(std::move(dir)) {}

  // Reads the file: ENOENT when it is missing, an EpochFileErrc when it is
  // damaged (memory is then empty), or an I/O error.
  [[nodiscard]] std::error_code load();
  // Replaces the history with one derived from the log (at open) and
  // writes it. Unlike every other change, memory takes the entries even
  // when the write fails: they are derived from the log, and the next open
  // derives them again.
  [[nodiscard]] std::error_code replace(std::vector<EpochEntry> entries, bool durable);

  // Records that `epoch` starts at `start`. Nothing changes when epoch is
  // the latest already. A newer epoch is appended; an entry at or above
  // `start` is first removed (Kafka's rule: a leader recorded at the log
  // end that never wrote is replaced). REQUIRES: epoch >= latest epoch (the
  // caller refuses an older one, StorageErrc::leader_epoch_regression),
  // epoch >= 0, start >= the latest entry's start.
  [[nodiscard]] std::error_code assign(std::int32_t epoch, Offset start, bool durable);

  // Kafka's endOffsetFor: nullopt (UNDEFINED_EPOCH) when asked for an epoch
  // newer than the latest, or when the history is empty; the latest epoch
  // ends at log_end; an epoch older than every entry answers (that epoch,
  // the first entry's start); otherwise (largest epoch <= asked, start of
  // the next entry).
  [[nodiscard]] std::optional<EpochEndOffset> end_offset_for(std::int32_t epoch, Offset log_end) const;

  // Removes every entry starting at or after `end` (a truncation to end).
  // Returns whether anything changed; writes only then.
  [[nodiscard]] Result<bool> truncate_from_end(Offset end, bool durable);
  // Retention moved the log start: entries wholly below it go, and the last
  // of them is kept starting at `start` unless an entry starts there.
  [[nodiscard]] Result<bool> truncate_from_start(Offset start, bool durable);
  // Empties the history (the log was emptied: truncated fully).
  [[nodiscard]] std::error_code clear(bool durable);

  // The two truncations on a copy, for a caller that decides before writing.
  [[nodiscard]] static std::vector<EpochEntry> cut_from_end(std::vector<EpochEntry> entries, Offset end);
  [[nodiscard]] static std::vector<EpochEntry> cut_from_start(std::vector<EpochEntry> entries, Offset start);

  // The epoch of the entry covering offset o (the last starting at or
  // before it); nullopt before the first entry.
  [[nodiscard]] std::optional<std::int32_t> epoch_at(Offset o) const;
  [[nodiscard]] std::optional<EpochEntry> latest() const {
    return entries_.empty() ? std::nullopt : std::optional<EpochEntry>(entries_.back());
  }
  [[nodiscard]] const std::vector<EpochEntry>& entries() const noexcept { return entries_; }
  [[nodiscard]] fs::path path() const { return dir_ / kLeaderEpochFile; }
  // Entries dropped because the history was full, since construction.
  [[nodiscard]] std::size_t dropped() const noexcept { return dropped_; }

 private:
  // Writes `next` and adopts it on success.
  [[nodiscard]] std::error_code commit(std::vector<EpochEntry> next, bool durable);

  FileSystem& fs_;
  fs::path dir_;
  std::vector<EpochEntry> entries_;
  std::size_t dropped_ = 0;
};

}  // namespace strata::storage
