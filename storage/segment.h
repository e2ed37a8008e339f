// One segment of a partition: <base>.log holding whole batches back to back,
// with its sparse .index and .timeindex (DESIGN decision 2).
//
// Threads: owned by its PartitionLog; every call on the owner's thread.
// All file handles come from the FileCache passed in, so a closed segment
// holds no descriptor of its own.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "protocol/record_batch.h"
#include "storage/event_log.h"
#include "storage/segment_index.h"

namespace strata::storage {

// Whole batches of one segment file: [position, position + length).
struct SegmentSlice {
  std::shared_ptr<File> file;
  std::uint64_t position = 0;
  std::uint64_t length = 0;
  Offset first_offset;  // base offset of the first batch in the slice
  Offset next_offset;   // offset after the last batch in the slice
};

// What a validating scan found; sizes in bytes.
struct ScanReport {
  std::uint64_t bytes_scanned = 0;
  std::uint64_t batches = 0;
  std::uint64_t bytes_truncated = 0;
  bool torn_tail = false;
  bool corrupt = false;  // a complete batch failed validation
};

class Segment {
 public:
  // index_interval: bytes of log between sparse index entries.
  Segment(fs::path dir, Offset base, std::uint32_t index_interval);

  static std::string file_stem(Offset base);  // 20 zero-padded digits
  // The one place a segment's file names are made: <dir>/<stem><suffix>
  // for ".log", ".index" and ".timeindex".
  static fs::path file_path(const fs::path& dir, Offset base, std::string_view suffix);
  // The segment's two index files, offset index first.
  [[nodiscard]] static std::array<fs::path, 2> index_paths(const fs::path& dir, Offset base);
  // The base offset a "<20 digits>.log" name stands for, if it is one.
  static std::optional<Offset> parse_log_name(std::string_view name);

  // Creates the three empty files.
  [[nodiscard]] std::error_code create(FileCache& cache, std::int64_t now_ms);

  // Loads a segment written before: reads its indexes, checks them, and
  // walks the headers after the last index entry to find the end. Trusts
  // checksums (the caller knows this part was synced); returns
  // StorageErrc::corruption if the indexes or headers do not hold up, after
  // which the caller runs recover(0).
  [[nodiscard]] std::error_code load(FileCache& cache, std::int64_t now_ms);

  // Validates every batch from `from` (a batch boundary) to the end of the
  // file, truncating at the first torn or invalid one and rebuilding the
  // index entries for what it kept.
  [[nodiscard]] Result<ScanReport> recover(FileCache& cache, std::uint64_t from);

  // REQUIRES: batch is validated and stamped with base offset next_offset().
  [[nodiscard]] std::error_code append(FileCache& cache, const protocol::BatchHeader& header, Bytes batch);

  // Whole batches starting at the one holding `from`, at most max_bytes
  // unless the first batch alone is larger. Empty when from >= next_offset().
  [[nodiscard]] Result<SegmentSlice> read(FileCache& cache, Offset from, std::uint64_t max_bytes);

  // The header of the batch holding offset o; nullopt outside the segment.
  [[nodiscard]] Result<std::optional<protocol::BatchHeader>> header_at(FileCache& cache, Offset o);

  // Cuts the segment before the batch holding `end` (so at `end` when it is
  // a batch boundary): the log file, both indexes (in memory and on disk,
  // not synced) and offset, size and largest timestamp. An emptied segment
  // counts as created at now_ms. Returns the new next offset (<= end); no-op
  // at or past next_offset().
  [[nodiscard]] Result<Offset> truncate_to(FileCache& cache, Offset end, std::int64_t now_ms);

  // First offset whose record timestamp is >= ts, if this segment has one.
  [[nodiscard]] Result<std::optional<Offset>> find_timestamp(FileCache& cache, std::int64_t ts);

  // Writes index entries added since the last flush.
  [[nodiscard]] std::error_code flush_indexes(FileCache& cache);
  // fdatasyncs the index files (on clean close and roll).
  [[nodiscard]] std::error_code sync_indexes(FileCache& cache);

  // Renames the three files to *.deleted (step one of deletion); one that
  // is missing (a power loss can lose an index file's entry) is skipped.
  [[nodiscard]] std::error_code mark_deleted(FileCache& cache);
  // Removes the *.deleted files.
  [[nodiscard]] std::error_code remove_deleted(FileSystem& fs);

  [[nodiscard]] Offset base() const noexcept { return base_; }
  [[nodiscard]] Offset next_offset() const noexcept { return next_offset_; }
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  // Largest record timestamp; INT64_MIN while empty.
  [[nodiscard]] std::int64_t max_timestamp() const noexcept { return max_timestamp_; }
  [[nodiscard]] std::int64_t created_ms() const noexcept { return created_ms_; }
  [[nodiscard]] const fs::path& log_path() const noexcept { return log_path_; }
  [[nodiscard]] std::size_t index_entries() const noexcept { return offset_index_.entries().size(); }
  // Index entries added in memory and not yet written to the files.
  [[nodiscard]] bool indexes_pending() const noexcept {
    return offset_index_.pending() || time_index_.pending();
  }

 private:
  void note_batch(const protocol::BatchHeader& header, std::uint64_t position);
  [[nodiscard]] bool indexes_consistent(std::uint64_t log_size) const;
  [[nodiscard]] std::error_code load_indexes(FileCache& cache, std::uint64_t log_size);
  [[nodiscard]] std::error_code truncate_indexes_from(FileCache& cache, std::uint64_t position);
  // Drops index entries at or after `position` (a batch boundary) and sets
  // offset, size and max timestamp as of it; corruption if headers disagree.
  [[nodiscard]] std::error_code resume_at(FileCache& cache, File& log, std::uint64_t position);
  // The log position of the indexed batch at or before `from`, checked
  // against the batch header found there; an index that does not hold up
  // is rebuilt from the log headers first.
  [[nodiscard]] Result<OffsetIndexEntry> checked_floor(FileCache& cache, File& log, Offset from);
  [[nodiscard]] std::error_code rebuild_index(FileCache& cache, File& log);
  [[nodiscard]] std::error_code clear_indexes(FileCache& cache);

  fs::path dir_;
  Offset base_;
  fs::path log_path_;
  OffsetIndex offset_index_;
  TimeIndex time_index_;
  Offset next_offset_;
  std::uint64_t size_ = 0;
  std::int64_t max_timestamp_;
  std::int64_t created_ms_ = 0;
  std::uint32_t index_interval_;
};

}  // namespace strata::storage
