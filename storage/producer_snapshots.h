// A partition's producer-state snapshot files (storage/FORMAT.md): the
// ProducerState as of an offset, so a restart after a crash loads the newest
// one and replays only the batches after it instead of scanning the log's
// tail (Kafka's <offset>.snapshot files).
//
// Named <20-digit offset>.snapshot, the offset being the log end the state
// is valid for; the contents are ProducerState::encode (checksummed). They
// are written, not synced, by the owner (at a roll, every
// kSnapshotIntervalBytes of appends, and at clean shutdown): the log's next
// sync makes them durable, and a damaged one is simply not used.
//
// Threads: the partition's owner thread.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/file_system.h"
#include "storage/producer_state.h"
#include "storage/types.h"

namespace strata::storage {

class ProducerSnapshots {
 public:
  static constexpr std::size_t kKept = 2;
  // Appends between snapshots besides rolls: what a crash restart replays at most
  // (plus the appends since the last sync).
  static constexpr std::uint64_t kIntervalBytes = 16u << 20;
  // A snapshot holds at most ProducerState::kMaxProducers producers.
  static constexpr std::size_t kMaxFileBytes = 1u << 20;

  static std::string file_name(Offset at);
  // The offset a "<20 digits>.snapshot" name stands for, if it is one.
  static std::optional<Offset> parse_name(std::string_view name);

  ProducerSnapshots(FileSystem& fs, fs::path dir) : fs_(fs), dir_(std::move(dir)) {}

  // Notes the snapshot files a directory listing found.
  void found(const std::vector<std::string>& names);
  // Removes the snapshots above `log_end` (a log cut below them since) and
  // returns the rest, newest first.
  [[nodiscard]] Result<std::vector<Offset>> usable_below(Offset log_end);
  // Reads one: nullopt if the file is damaged or was made for another log.
  // `bytes` gets what was read.
  [[nodiscard]] std::optional<ProducerState> load(Offset at, std::uint64_t& bytes);

  // Removes the snapshots below `log_start` (retention deleted what they
  // would be replayed from).
  [[nodiscard]] std::error_code remove_below(Offset log_start);
  // Removes every snapshot (the log was emptied and starts afresh).
  [[nodiscard]] std::error_code remove_all();

  // Writes the state as of `at`, then removes all but the newest kKept.
  // Returns the file written (to be synced with the log). A snapshot at an
  // offset already written is rewritten.
  [[nodiscard]] Result<fs::path> write(const ProducerState& state, Offset at);

 private:
  FileSystem& fs_;
  fs::path dir_;
  std::deque<Offset> offsets_;  // on disk, oldest first
};

}  // namespace strata::storage
