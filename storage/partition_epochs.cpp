// A partition's leader-epoch history (leader_epoch_cache.h) as the log
// keeps it: recorded by both append paths and set_leader_epoch, checked
// against the log on open and rebuilt from it when it does not hold up.
//
// Durability: set_leader_epoch and truncations write the file durably
// before they return. An append that starts a new epoch writes the file at
// once and queues it for the next group commit, which syncs the batch
// first: a crash between the two leaves a batch whose epoch the file lacks,
// which the check on open finds (the last batch's epoch is not the file's
// epoch at its offset), so the history is rebuilt from the log.
#include <algorithm>

#include "storage/batch_cursor.h"
#include "storage/partition_log.h"
#include "storage/storage_errc.h"

namespace strata::storage {

std::error_code PartitionLog::record_epoch(std::int32_t epoch, Offset start, bool durable) {
  const std::size_t dropped = epochs_.dropped();
  if (auto ec = epochs_.assign(epoch, start, durable)) {
    emit(Severity::error, "could not record leader epoch " + std::to_string(epoch) + " in " +
                              epochs_.path().string() + ": " + ec.message());
    return ec;
  }
  if (!durable) queue_epoch_file_sync();
  if (epochs_.dropped() != dropped) {
    emit(Severity::warn, "leader-epoch history holds " + std::to_string(kMaxEpochEntries) +
                             " epochs; dropped the oldest");
  }
  emit(Severity::info, "leader epoch " + std::to_string(epoch) + " starts at offset " +
                           std::to_string(start.value()));
  return {};
}

std::error_code PartitionLog::note_epoch(std::int32_t epoch, Offset start) {
  // A negative epoch (a batch from before epochs; strata never wrote one)
  // is not recorded, as Kafka does not.
  if (epoch < 0) return {};
  const auto latest = epochs_.latest();
  if (latest && epoch < latest->epoch) return StorageErrc::leader_epoch_regression;
  if (latest && epoch == latest->epoch) return {};
  return record_epoch(epoch, start, false);
}

std::error_code PartitionLog::set_leader_epoch(std::int32_t epoch) {
  if (epoch < 0) return std::make_error_code(std::errc::invalid_argument);
  if (closed_) return StorageErrc::closed;
  if (read_only_) return StorageErrc::read_only;
  const auto latest = epochs_.latest();
  if (latest && epoch < latest->epoch) return StorageErrc::leader_epoch_regression;
  if (!latest || epoch > latest->epoch) STRATA_TRYV(record_epoch(epoch, log_end(), true));
  options_.leader_epoch = epoch;
  return {};
}

Result<std::vector<EpochEntry>> PartitionLog::epochs_from_log() {
  // Epochs only grow along a log, so a segment whose first and last batch
  // carry the same epoch holds no other: only segments where it changes
  // are walked header by header.
  std::vector<EpochEntry> entries;
  auto note = [&entries](const protocol::BatchHeader& h) {
    if (h.leader_epoch < 0) return;
    if (!entries.empty() && h.leader_epoch <= entries.back().epoch) return;
    entries.push_back({h.leader_epoch, Offset(h.base_offset)});
  };
  for (const auto& s : segments_) {
    if (s->empty()) continue;
    STRATA_TRY(auto first, s->header_at(cache_, s->base()));
    STRATA_TRY(auto last, s->header_at(cache_, Offset(s->next_offset().value() - 1)));
    if (!first || !last) return StorageErrc::corruption;
    note(*first);
    if (first->leader_epoch == last->leader_epoch) continue;
    STRATA_TRY(auto file, cache_.get(s->log_path()));
    BatchCursor cursor(*file, 0, s->size());
    for (;;) {
      STRATA_TRY(auto header, cursor.peek());
      if (!header) break;
      note(*header);
      cursor.advance();
    }
  }
  return entries;
}

Result<bool> PartitionLog::epochs_match_log(const std::vector<EpochEntry>& entries) {
  // The first and the last batch carry the epoch the history gives their
  // offsets; and no entry of an epoch the log does not reach is past it.
  if (log_start() == log_end()) return true;
  const Offset ends[] = {log_start(), Offset(log_end().value() - 1)};
  for (const Offset at : ends) {
    STRATA_TRY(auto header, segment_for(at).header_at(cache_, at));
    if (!header) return false;
    if (header->leader_epoch < 0) continue;
    auto covering = std::upper_bound(entries.begin(), entries.end(), Offset(header->base_offset),
                                     [](Offset o, const EpochEntry& e) { return o < e.start; });
    if (covering == entries.begin() || std::prev(covering)->epoch != header->leader_epoch) return false;
  }
  return true;
}

std::error_code PartitionLog::load_epochs() {
  const std::error_code read = epochs_.load();
  const bool missing = read == std::errc::no_such_file_or_directory;
  if (read && !missing && read.category() != epoch_file_category()) return read;
  // Cut to the recovered log: a crash may have taken batches an entry was
  // recorded for, or stopped a truncation between its steps.
  std::vector<EpochEntry> entries =
      LeaderEpochCache::cut_from_start(LeaderEpochCache::cut_from_end(epochs_.entries(), log_end()), log_start());
  std::string why;
  if (missing) {
    if (log_start() == log_end()) return {};
    why = "no leader-epoch-checkpoint";
  } else if (read) {
    why = read.message();
  } else {
    STRATA_TRY(const bool matches, epochs_match_log(entries));
    if (!matches) why = "leader-epoch-checkpoint does not match the log's batches";
  }
  if (!why.empty()) {
    STRATA_TRY(entries, epochs_from_log());
    emit(missing ? Severity::info : Severity::warn,
         why + ": rebuilt the leader-epoch history from the log (" + std::to_string(entries.size()) + " epochs)");
  } else if (entries == epochs_.entries()) {
    return {};
  }
  if (auto ec = epochs_.replace(std::move(entries), false)) {
    // Derived from the log: the next open derives it again.
    emit(Severity::warn, "could not write " + epochs_.path().string() + ": " + ec.message());
    return {};
  }
  queue_epoch_file_sync();
  return {};
}

void PartitionLog::queue_epoch_file_sync() {
  // The file was replaced (tmp + rename): its contents and its name.
  unsynced_index_files_.push_back(epochs_.path());
  dir_sync_pending_ = true;
}

}  // namespace strata::storage
