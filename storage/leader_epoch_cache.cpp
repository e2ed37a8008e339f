#include "storage/leader_epoch_cache.h"

#include <algorithm>
#include <cassert>

namespace strata::storage {

std::error_code LeaderEpochCache::load() {
  entries_.clear();
  STRATA_TRY(auto entries, read_epoch_file(fs_, dir_));
  entries_ = std::move(entries);
  return {};
}

std::error_code LeaderEpochCache::commit(std::vector<EpochEntry> next, bool durable) {
  if (auto ec = write_epoch_file(fs_, dir_, next, durable)) return ec;
  entries_ = std::move(next);
  return {};
}

std::error_code LeaderEpochCache::replace(std::vector<EpochEntry> entries, bool durable) {
  entries_ = std::move(entries);
  return write_epoch_file(fs_, dir_, entries_, durable);
}

std::error_code LeaderEpochCache::assign(std::int32_t epoch, Offset start, bool durable) {
  assert(epoch >= 0 && (entries_.empty() || epoch >= entries_.back().epoch));
  if (!entries_.empty() && entries_.back().epoch == epoch) return {};
  std::vector<EpochEntry> next = cut_from_end(entries_, start);
  next.push_back({epoch, start});
  const std::size_t drop = next.size() > kMaxEpochEntries ? next.size() - kMaxEpochEntries : 0;
  next.erase(next.begin(), next.begin() + static_cast<std::ptrdiff_t>(drop));
  if (auto ec = commit(std::move(next), durable)) return ec;
  dropped_ += drop;
  return {};
}

std::optional<EpochEndOffset> LeaderEpochCache::end_offset_for(std::int32_t epoch, Offset log_end) const {
  if (entries_.empty() || epoch < 0 || epoch > entries_.back().epoch) return std::nullopt;
  if (epoch == entries_.back().epoch) return EpochEndOffset{epoch, log_end};
  // The first entry of a newer epoch: it exists, since epoch < the latest.
  auto higher = std::upper_bound(entries_.begin(), entries_.end(), epoch,
                                 [](std::int32_t e, const EpochEntry& x) { return e < x.epoch; });
  if (higher == entries_.begin()) return EpochEndOffset{epoch, higher->start};
  return EpochEndOffset{std::prev(higher)->epoch, higher->start};
}

std::vector<EpochEntry> LeaderEpochCache::cut_from_end(std::vector<EpochEntry> entries, Offset end) {
  while (!entries.empty() && entries.back().start >= end) entries.pop_back();
  return entries;
}

std::vector<EpochEntry> LeaderEpochCache::cut_from_start(std::vector<EpochEntry> entries, Offset start) {
  // Entries starting at or below `start`: all but the last go, and that
  // one is moved up to start (Kafka's truncateFromStart).
  auto above = std::upper_bound(entries.begin(), entries.end(), start,
                                [](Offset o, const EpochEntry& x) { return o < x.start; });
  if (above == entries.begin()) return entries;
  const EpochEntry moved{std::prev(above)->epoch, start};
  entries.erase(entries.begin(), above);
  entries.insert(entries.begin(), moved);
  return entries;
}

Result<bool> LeaderEpochCache::truncate_from_end(Offset end, bool durable) {
  auto next = cut_from_end(entries_, end);
  if (next == entries_) return false;
  STRATA_TRYV(commit(std::move(next), durable));
  return true;
}

Result<bool> LeaderEpochCache::truncate_from_start(Offset start, bool durable) {
  auto next = cut_from_start(entries_, start);
  if (next == entries_) return false;
  STRATA_TRYV(commit(std::move(next), durable));
  return true;
}

std::error_code LeaderEpochCache::clear(bool durable) { return commit({}, durable); }

std::optional<std::int32_t> LeaderEpochCache::epoch_at(Offset o) const {
  auto above = std::upper_bound(entries_.begin(), entries_.end(), o,
                                [](Offset x, const EpochEntry& e) { return x < e.start; });
  if (above == entries_.begin()) return std::nullopt;
  return std::prev(above)->epoch;
}

}  // namespace strata::storage
