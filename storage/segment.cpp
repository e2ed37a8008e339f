#include "storage/segment.h"

#include <cassert>

#include <charconv>
#include <cstdio>
#include <limits>

#include "protocol/batch_validator.h"
#include "protocol/record.h"
#include "storage/batch_cursor.h"
#include "storage/storage_errc.h"

namespace strata::storage {

using protocol::BatchErrc;
using protocol::BatchHeader;

namespace {
constexpr std::int64_t kNoTimestamp = std::numeric_limits<std::int64_t>::min();

constexpr std::string_view kLogSuffix = ".log";
constexpr std::string_view kOffsetIndexSuffix = ".index";
constexpr std::string_view kTimeIndexSuffix = ".timeindex";
}  // namespace

Segment::Segment(fs::path dir, Offset base, std::uint32_t index_interval)
    : dir_(std::move(dir)),
      base_(base),
      log_path_(file_path(dir_, base, kLogSuffix)),
      offset_index_(file_path(dir_, base, kOffsetIndexSuffix)),
      time_index_(file_path(dir_, base, kTimeIndexSuffix)),
      next_offset_(base),
      max_timestamp_(kNoTimestamp),
      index_interval_(index_interval) {}

fs::path Segment::file_path(const fs::path& dir, Offset base, std::string_view suffix) {
  return dir / (file_stem(base) + std::string(suffix));
}

std::array<fs::path, 2> Segment::index_paths(const fs::path& dir, Offset base) {
  return {file_path(dir, base, kOffsetIndexSuffix), file_path(dir, base, kTimeIndexSuffix)};
}

std::string Segment::file_stem(Offset base) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(base.value()));
  return buf;
}

std::optional<Offset> Segment::parse_log_name(std::string_view name) {
  if (name.size() != 24 || !name.ends_with(".log")) return std::nullopt;
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + 20, v);
  if (ec != std::errc{} || ptr != name.data() + 20) return std::nullopt;
  return Offset(v);
}

std::error_code Segment::create(FileCache& cache, std::int64_t now_ms) {
  STRATA_TRY(auto log, cache.create(log_path_));
  if (auto ec = log->truncate(0)) return ec;
  if (auto ec = offset_index_.load(cache)) return ec;
  if (auto ec = time_index_.load(cache)) return ec;
  if (auto ec = offset_index_.truncate(cache, 0)) return ec;
  if (auto ec = time_index_.truncate(cache, 0)) return ec;
  created_ms_ = now_ms;
  return {};
}

void Segment::note_batch(const BatchHeader& header, std::uint64_t position) {
  max_timestamp_ = std::max(max_timestamp_, header.max_timestamp);
  const auto& entries = offset_index_.entries();
  if (entries.empty() || position - entries.back().position >= index_interval_) {
    const RelativeOffset rel = relative_to(Offset(header.base_offset), base_);
    offset_index_.add({rel, static_cast<std::uint32_t>(position)});
    time_index_.add({max_timestamp_, rel});
  }
  next_offset_ = Offset(header.next_offset());
  size_ = position + header.total_size();
}

bool Segment::indexes_consistent(std::uint64_t log_size) const {
  const auto& off = offset_index_.entries();
  const auto& tim = time_index_.entries();
  if (off.size() != tim.size()) return false;
  if (log_size > 0 && (off.empty() || off.front().position != 0)) return false;
  for (std::size_t i = 0; i < off.size(); ++i) {
    if (off[i].position >= log_size || tim[i].offset != off[i].offset) return false;
    if (i > 0 && (off[i].offset <= off[i - 1].offset || off[i].position <= off[i - 1].position ||
                  tim[i].timestamp < tim[i - 1].timestamp)) {
      return false;
    }
  }
  return true;
}

std::error_code Segment::load_indexes(FileCache& cache, std::uint64_t log_size) {
  if (auto ec = offset_index_.load(cache)) return ec;
  if (auto ec = time_index_.load(cache)) return ec;
  if (!indexes_consistent(log_size)) return StorageErrc::corruption;
  return {};
}

std::error_code Segment::load(FileCache& cache, std::int64_t now_ms) {
  created_ms_ = now_ms;
  STRATA_TRY(auto log, cache.get(log_path_));
  const std::uint64_t log_size = log->size();
  if (auto ec = load_indexes(cache, log_size)) return ec;
  if (log_size == 0) return {};
  // Resume from the last indexed batch, whose header must match its entry.
  if (auto ec = resume_at(cache, *log, log_size)) return ec;
  return size_ == log_size ? std::error_code{} : make_error_code(StorageErrc::corruption);
}

std::error_code Segment::truncate_indexes_from(FileCache& cache, std::uint64_t position) {
  const auto& e = offset_index_.entries();
  auto it = std::lower_bound(e.begin(), e.end(), position,
                             [](const OffsetIndexEntry& x, std::uint64_t p) { return x.position < p; });
  const auto keep = static_cast<std::size_t>(it - e.begin());
  if (auto ec = offset_index_.truncate(cache, keep)) return ec;
  return time_index_.truncate(cache, keep);
}

std::error_code Segment::resume_at(FileCache& cache, File& log, std::uint64_t position) {
  if (auto ec = truncate_indexes_from(cache, position)) return ec;
  max_timestamp_ = kNoTimestamp;
  next_offset_ = base_;
  size_ = 0;
  if (!offset_index_.entries().empty()) {
    size_ = offset_index_.entries().back().position;
    max_timestamp_ = time_index_.entries().back().timestamp;
    next_offset_ = absolute(offset_index_.entries().back().offset, base_);
  }
  // The index tells offset and timestamp at entry granularity only: walk the
  // headers between the last kept entry and `position`, checking the chain.
  BatchCursor cursor(log, size_, position);
  for (;;) {
    auto header = cursor.peek();
    if (!header) {
      if (header.error().category() == protocol::batch_category()) return StorageErrc::corruption;
      return header.error();
    }
    if (!header.value()) break;
    if (header.value()->base_offset != next_offset_.value()) return StorageErrc::corruption;
    // Also restores index entries a crash kept from reaching the file.
    note_batch(*header.value(), cursor.position());
    cursor.advance();
  }
  return {};
}

Result<ScanReport> Segment::recover(FileCache& cache, std::uint64_t from) {
  STRATA_TRY(auto log, cache.get(log_path_));
  const std::uint64_t log_size = log->size();
  if (auto ec = load_indexes(cache, log_size)) {
    if (ec != StorageErrc::corruption) return ec;
    // Rebuilt below: from headers up to `from`, by validation after it.
    STRATA_TRYV(clear_indexes(cache));
  }
  if (from > log_size) from = 0;
  if (auto ec = resume_at(cache, *log, from)) {
    if (ec != StorageErrc::corruption) return ec;
    from = 0;
    STRATA_TRYV(resume_at(cache, *log, 0));
  }

  ScanReport report;
  BatchCursor cursor(*log, from, log_size);
  std::vector<std::uint8_t> buf;
  for (;;) {
    const std::uint64_t at = cursor.position();
    auto header = cursor.peek();
    std::error_code bad;
    if (!header) {
      bad = header.error();
    } else if (!header.value()) {
      break;
    } else if (auto ec = cursor.read_batch(buf)) {
      bad = ec;
    } else if (auto valid = protocol::validate_batch(buf, protocol::kMaxBatchBytes); !valid) {
      bad = valid.error();
    } else if (header.value()->base_offset != next_offset_.value()) {
      bad = StorageErrc::corruption;
    }
    if (bad) {
      if (bad.category() != protocol::batch_category() && bad.category() != storage_category()) return bad;
      report.torn_tail = bad == BatchErrc::truncated;
      report.corrupt = !report.torn_tail;
      report.bytes_truncated = log_size - at;
      report.bytes_scanned += log_size - at;
      if (auto ec = log->truncate(at)) return ec;
      break;
    }
    report.bytes_scanned += header.value()->total_size();
    ++report.batches;
    note_batch(*header.value(), at);
    cursor.advance();
  }
  return report;
}

std::error_code Segment::append(FileCache& cache, const BatchHeader& header, Bytes batch) {
  assert(header.base_offset == next_offset_.value() && "the batch must be stamped with this segment's next offset");
  STRATA_TRY(auto log, cache.get(log_path_));
  const std::uint64_t at = size_;
  if (auto ec = log->append(batch)) {
    // Never leave half a batch behind: cut back to the last whole one.
    (void)log->truncate(at);
    return ec;
  }
  note_batch(header, at);
  return {};
}

Result<SegmentSlice> Segment::read(FileCache& cache, Offset from, std::uint64_t max_bytes) {
  STRATA_TRY(auto log, cache.get(log_path_));
  SegmentSlice slice;
  slice.file = log;
  slice.first_offset = from;
  slice.next_offset = from;
  if (from >= next_offset_ || from < base_) return slice;

  STRATA_TRY(const OffsetIndexEntry floor, checked_floor(cache, *log, from));
  BatchCursor cursor(*log, floor.position, size_);
  std::uint64_t start = 0;
  for (;;) {
    STRATA_TRY(auto header, cursor.peek());
    if (!header) return StorageErrc::corruption;  // from < next_offset_, so a batch must hold it
    if (header->next_offset() > from.value()) {
      start = cursor.position();
      slice.first_offset = Offset(header->base_offset);
      slice.next_offset = Offset(header->next_offset());
      cursor.advance();
      break;
    }
    cursor.advance();
  }
  // Skip ahead over whole batches through the index, then walk headers.
  const std::uint64_t budget = std::max<std::uint64_t>(max_bytes, cursor.position() - start);
  const std::uint64_t limit = budget > size_ - start ? size_ : start + budget;
  const auto& entries = offset_index_.entries();
  auto it = std::upper_bound(entries.begin(), entries.end(), limit,
                             [](std::uint64_t p, const OffsetIndexEntry& e) { return p < e.position; });
  if (it != entries.begin() && std::prev(it)->position > cursor.position()) {
    cursor.seek(std::prev(it)->position);
    slice.next_offset = absolute(std::prev(it)->offset, base_);
  }
  for (;;) {
    STRATA_TRY(auto header, cursor.peek());
    if (!header || cursor.position() + header->total_size() > limit) break;
    slice.next_offset = Offset(header->next_offset());
    cursor.advance();
  }
  slice.position = start;
  slice.length = cursor.position() - start;
  return slice;
}

Result<std::optional<BatchHeader>> Segment::header_at(FileCache& cache, Offset o) {
  STRATA_TRY(auto slice, read(cache, o, 1));
  if (slice.length == 0) return std::optional<BatchHeader>{};
  BatchCursor cursor(*slice.file, slice.position, size_);
  STRATA_TRY(auto header, cursor.peek());
  if (!header) return StorageErrc::corruption;  // the slice said a batch is there
  return header;
}

Result<Offset> Segment::truncate_to(FileCache& cache, Offset end, std::int64_t now_ms) {
  if (end >= next_offset_) return next_offset_;
  std::uint64_t position = 0;
  if (end > base_) {
    STRATA_TRY(auto slice, read(cache, end, 1));  // the batch holding `end`
    position = slice.position;
  }
  STRATA_TRY(auto log, cache.get(log_path_));
  STRATA_TRYV(log->truncate(position));
  STRATA_TRYV(resume_at(cache, *log, position));
  if (position == 0) created_ms_ = now_ms;
  return next_offset_;
}

Result<std::optional<Offset>> Segment::find_timestamp(FileCache& cache, std::int64_t ts) {
  if (max_timestamp_ < ts || size_ == 0) return std::optional<Offset>{};
  const auto& times = time_index_.entries();
  // Entries carry the running maximum: everything up to and including the
  // batch of the last entry below ts is older than ts.
  auto it = std::lower_bound(times.begin(), times.end(), ts,
                             [](const TimeIndexEntry& e, std::int64_t t) { return e.timestamp < t; });
  Offset start = base_;
  if (it != times.begin()) start = absolute(std::prev(it)->offset, base_);
  STRATA_TRY(auto log, cache.get(log_path_));
  STRATA_TRY(const OffsetIndexEntry floor, checked_floor(cache, *log, start));
  BatchCursor cursor(*log, floor.position, size_);
  std::vector<std::uint8_t> buf;
  std::vector<std::uint8_t> scratch;
  for (;;) {
    STRATA_TRY(auto header, cursor.peek());
    if (!header) return std::optional<Offset>{};
    if (header->max_timestamp >= ts) {
      // Every record of a LogAppendTime batch has the append time.
      if (header->log_append_time()) return std::optional<Offset>{Offset(header->base_offset)};
      STRATA_TRYV(cursor.read_batch(buf));
      auto records = protocol::batch_records(buf, *header, scratch);  // decompressed if need be
      if (!records) return StorageErrc::corruption;
      auto reader = protocol::RecordReader::over_records(records.value(), *header);
      protocol::Record record;
      while (reader.next(record)) {
        if (record.timestamp >= ts) return std::optional<Offset>{Offset(record.offset)};
      }
      if (reader.error()) return StorageErrc::corruption;
    }
    cursor.advance();
  }
}

Result<OffsetIndexEntry> Segment::checked_floor(FileCache& cache, File& log, Offset from) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const OffsetIndexEntry entry = floor_entry(offset_index_, relative_to(from, base_));
    BatchCursor cursor(log, entry.position, size_);
    auto header = cursor.peek();
    if (header && header.value() && header.value()->base_offset == absolute(entry.offset, base_).value()) {
      return entry;
    }
    if (!header && header.error().category() != protocol::batch_category()) return header.error();
    if (attempt == 0) STRATA_TRYV(rebuild_index(cache, log));
  }
  return StorageErrc::corruption;
}

std::error_code Segment::clear_indexes(FileCache& cache) {
  if (auto ec = offset_index_.truncate(cache, 0)) return ec;
  return time_index_.truncate(cache, 0);
}

std::error_code Segment::rebuild_index(FileCache& cache, File& log) {
  const std::uint64_t end = size_;
  if (auto ec = clear_indexes(cache)) return ec;
  if (auto ec = resume_at(cache, log, end)) return ec;
  return size_ == end ? std::error_code{} : make_error_code(StorageErrc::corruption);
}

std::error_code Segment::flush_indexes(FileCache& cache) {
  if (auto ec = offset_index_.flush(cache)) return ec;
  return time_index_.flush(cache);
}

std::error_code Segment::sync_indexes(FileCache& cache) {
  if (auto ec = flush_indexes(cache)) return ec;
  for (const fs::path* p : std::initializer_list<const fs::path*>{&offset_index_.path(), &time_index_.path()}) {
    STRATA_TRY(auto f, cache.create(*p));
    if (auto ec = f->sync()) return ec;
  }
  return {};
}

std::error_code Segment::mark_deleted(FileCache& cache) {
  for (const fs::path* p : std::initializer_list<const fs::path*>{&log_path_, &offset_index_.path(), &time_index_.path()}) {
    cache.evict(*p);
    fs::path target = *p;
    target += ".deleted";
    // A missing index file (a power loss can lose its entry) is no reason
    // to keep the segment.
    if (auto ec = cache.file_system().rename(*p, target); ec && ec != std::errc::no_such_file_or_directory) return ec;
  }
  return {};
}

std::error_code Segment::remove_deleted(FileSystem& fsys) {
  for (const fs::path* p : std::initializer_list<const fs::path*>{&log_path_, &offset_index_.path(), &time_index_.path()}) {
    fs::path target = *p;
    target += ".deleted";
    if (auto ec = fsys.remove(target)) return ec;
  }
  return {};
}

}  // namespace strata::storage
