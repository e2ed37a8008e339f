// The two sparse indexes of a segment (DESIGN decision 2), kept in memory and
// appended to their files in batches. Both are derived data: recovery checks
// them and rebuilds them from the log when they do not hold up.
//
//   .index      entries of { u32 relative_offset, u32 position }        8 bytes
//   .timeindex  entries of { i64 max_timestamp_so_far, u32 relative_offset } 12 bytes
//
// One entry of each is added for the same batch: the first batch of a segment
// and then the first batch after every index.interval.bytes of log.
#pragma once

#include <algorithm>
#include <vector>

#include "storage/file_cache.h"
#include "storage/types.h"

namespace strata::storage {

struct OffsetIndexEntry {
  static constexpr std::size_t kSize = 8;
  RelativeOffset offset;
  std::uint32_t position = 0;

  void encode(std::uint8_t* p) const noexcept {
    protocol::store_le(p, offset.value());
    protocol::store_le(p + 4, position);
  }
  static OffsetIndexEntry decode(const std::uint8_t* p) noexcept {
    return {RelativeOffset(protocol::load_le<std::uint32_t>(p)), protocol::load_le<std::uint32_t>(p + 4)};
  }
};

// timestamp is the largest record timestamp of every batch up to and
// including the one at offset, so entries never decrease.
struct TimeIndexEntry {
  static constexpr std::size_t kSize = 12;
  std::int64_t timestamp = 0;
  RelativeOffset offset;

  void encode(std::uint8_t* p) const noexcept {
    protocol::store_le(p, timestamp);
    protocol::store_le(p + 8, offset.value());
  }
  static TimeIndexEntry decode(const std::uint8_t* p) noexcept {
    return {protocol::load_le<std::int64_t>(p), RelativeOffset(protocol::load_le<std::uint32_t>(p + 8))};
  }
};

template <typename Entry>
class IndexFile {
 public:
  explicit IndexFile(fs::path path) : path_(std::move(path)) {}

  // Reads all entries. A file whose size is not a whole number of entries
  // loses its partial tail (a torn append), which flush() then overwrites.
  [[nodiscard]] std::error_code load(FileCache& cache) {
    STRATA_TRY(auto file, cache.create(path_));
    std::vector<std::uint8_t> raw(file->size() - file->size() % Entry::kSize);
    STRATA_TRY(auto n, file->read_at(0, raw));
    entries_.clear();
    for (std::size_t at = 0; at + Entry::kSize <= n; at += Entry::kSize) {
      entries_.push_back(Entry::decode(raw.data() + at));
    }
    written_ = entries_.size();
    if (file->size() != written_ * Entry::kSize) return file->truncate(written_ * Entry::kSize);
    return {};
  }

  void add(const Entry& e) { entries_.push_back(e); }

  // Appends the entries added since the last flush to the file.
  [[nodiscard]] std::error_code flush(FileCache& cache) {
    if (written_ == entries_.size()) return {};
    STRATA_TRY(auto file, cache.create(path_));
    std::vector<std::uint8_t> raw((entries_.size() - written_) * Entry::kSize);
    for (std::size_t i = written_; i < entries_.size(); ++i) {
      entries_[i].encode(raw.data() + (i - written_) * Entry::kSize);
    }
    if (auto ec = file->append(raw)) {
      (void)file->truncate(written_ * Entry::kSize);
      return ec;
    }
    written_ = entries_.size();
    return {};
  }

  // Keeps the first `keep` entries, in memory and on disk.
  [[nodiscard]] std::error_code truncate(FileCache& cache, std::size_t keep) {
    keep = std::min(keep, entries_.size());
    entries_.resize(keep);
    if (written_ <= keep) return {};
    written_ = keep;
    STRATA_TRY(auto file, cache.create(path_));
    return file->truncate(keep * Entry::kSize);
  }

  [[nodiscard]] const std::vector<Entry>& entries() const noexcept { return entries_; }
  [[nodiscard]] bool pending() const noexcept { return written_ != entries_.size(); }
  [[nodiscard]] const fs::path& path() const noexcept { return path_; }

 private:
  fs::path path_;
  std::vector<Entry> entries_;
  std::size_t written_ = 0;  // entries_[0, written_) are in the file
};

using OffsetIndex = IndexFile<OffsetIndexEntry>;
using TimeIndex = IndexFile<TimeIndexEntry>;

// Position of the last indexed batch starting at or before rel (0 if none).
[[nodiscard]] inline OffsetIndexEntry floor_entry(const OffsetIndex& index, RelativeOffset rel) noexcept {
  const auto& e = index.entries();
  auto it = std::upper_bound(e.begin(), e.end(), rel, [](RelativeOffset r, const OffsetIndexEntry& x) {
    return r < x.offset;
  });
  return it == e.begin() ? OffsetIndexEntry{} : *std::prev(it);
}

}  // namespace strata::storage
