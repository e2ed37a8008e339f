// libFuzzer target: crash recovery of a partition directory whose files come
// from the input. The input is laid out as
//   u8  flags     kFixChecksums  recompute each batch's checksum (found by
//                                walking the framing) so batches get past it
//                 kRenumber      restamp base offsets to run on from the
//                                segment's base, as a real log's do
//                 kTwoSegments   split the log bytes into two segments
//                 kIndexes       segment 0 gets .index/.timeindex from the input
//                 kCheckpoint    write a (checksummed) checkpoint from the input
//                 kCleanMarker   leave the clean-shutdown marker: the trusted
//                                load path, which by design does not validate
//   u8  index_interval - 1    u16 read budget / 16    u64 base of segment 0
//   [kTwoSegments] u32 base delta of segment 1, u16 bytes of segment 0's log
//   [kIndexes]     u16 n, n bytes of .index; u16 m, m bytes of .timeindex
//   [kCheckpoint]  u8 segment (0/1), u32 log start delta, u32 recovery
//                  offset delta, u32 recovery position
//   the rest       the log bytes
// The files are written into a directory on tmpfs, the partition log opened
// (which recovers it) and everything read back through PartitionLog::read.
// Properties, unless kCleanMarker made recovery trust the files:
//   - open succeeds: damage is truncated away, never fatal;
//   - every read from log_start to log_end succeeds and returns whole
//     batches that pass validate_batch, numbered contiguously;
//   - the first offset at or after timestamp INT64_MIN is the log start;
//   - a fresh batch appends at log_end; after close() a clean reopen scans
//     nothing and serves exactly the same batches.
// With kCleanMarker, or a checkpoint vouching for bytes that are not valid
// batches, only the absence of crashes and sanitizer reports counts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "storage/checkpoint.h"
#include "storage/file_cache.h"
#include "storage/partition_log.h"
#include "storage/posix_file_system.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace strata;
using protocol::ByteReader;
using protocol::Bytes;
using storage::Offset;
using storage::PartitionLog;

enum Flags : std::uint8_t {
  kFixChecksums = 1,
  kRenumber = 2,
  kTwoSegments = 4,
  kIndexes = 8,
  kCheckpoint = 16,
  kCleanMarker = 32,
};

struct SegmentFiles {
  std::uint64_t base = 0;
  std::vector<std::uint8_t> log;
  std::vector<std::uint8_t> index;
  std::vector<std::uint8_t> time_index;
  bool has_indexes = false;
};

struct Scenario {
  std::uint8_t flags = 0;
  std::uint32_t index_interval = 1;
  std::uint64_t budget = 16;
  std::vector<SegmentFiles> segments;
  std::optional<storage::Checkpoint> checkpoint;
};

std::vector<std::uint8_t> sized_bytes(ByteReader& r) {
  const Bytes b = r.bytes(r.fixed<std::uint16_t>());
  return {b.begin(), b.end()};
}

// Walks the framing of log; fixes checksums and base offsets as flags say.
void fix_up(std::vector<std::uint8_t>& log, std::uint64_t base, std::uint8_t flags) {
  using namespace protocol::batch_layout;
  std::size_t at = 0;
  std::uint64_t next = base;
  while (log.size() - at >= kHeaderSize) {
    const protocol::MutableBytes rest = protocol::MutableBytes(log).subspan(at);
    const std::size_t size = protocol::framed_size(rest);
    if (size < kHeaderSize || size > rest.size()) break;
    const protocol::MutableBytes batch = rest.first(size);
    if (flags & kRenumber) protocol::stamp_base_offset(batch, next);
    if (flags & kFixChecksums) protocol::store_be(batch.data() + kCrc, protocol::compute_crc(batch));
    next += static_cast<std::uint32_t>(protocol::load_be<std::int32_t>(batch.data() + kLastOffsetDelta)) + 1u;
    at += size;
  }
}

std::optional<Scenario> parse(const std::uint8_t* data, std::size_t size) {
  ByteReader r(Bytes(data, size));
  Scenario s;
  s.flags = r.fixed<std::uint8_t>();
  s.index_interval = r.fixed<std::uint8_t>() + 1u;
  s.budget = (r.fixed<std::uint16_t>() + 1u) * 16u;
  SegmentFiles first;
  first.base = r.fixed<std::uint64_t>();
  std::uint32_t second_delta = 0;
  std::size_t first_log_bytes = std::numeric_limits<std::size_t>::max();
  if (s.flags & kTwoSegments) {
    second_delta = r.fixed<std::uint32_t>();
    first_log_bytes = r.fixed<std::uint16_t>();
  }
  if (s.flags & kIndexes) {
    first.has_indexes = true;
    first.index = sized_bytes(r);
    first.time_index = sized_bytes(r);
  }
  std::uint8_t checkpoint_segment = 0;
  storage::Checkpoint cp;
  if (s.flags & kCheckpoint) {
    checkpoint_segment = r.fixed<std::uint8_t>();
    cp.log_start = Offset(first.base + r.fixed<std::uint32_t>());
    cp.recovery_offset = Offset(first.base + r.fixed<std::uint32_t>());
    cp.recovery_position = r.fixed<std::uint32_t>();
  }
  if (!r.ok()) return std::nullopt;
  const Bytes rest = r.bytes(r.remaining());
  const std::size_t split = std::min(first_log_bytes, rest.size());
  first.log.assign(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(split));
  s.segments.push_back(std::move(first));
  if ((s.flags & kTwoSegments) && second_delta != 0) {
    SegmentFiles second;
    second.base = s.segments[0].base + second_delta;
    second.log.assign(rest.begin() + static_cast<std::ptrdiff_t>(split), rest.end());
    s.segments.push_back(std::move(second));
  }
  for (auto& seg : s.segments) fix_up(seg.log, seg.base, s.flags);
  if (s.flags & kCheckpoint) {
    cp.recovery_segment = Offset(s.segments[checkpoint_segment % s.segments.size()].base);
    s.checkpoint = cp;
  }
  return s;
}

// Whether log's first `end` bytes are valid batches numbered on from base.
bool valid_prefix(const std::vector<std::uint8_t>& log, std::uint64_t base, std::uint64_t end) {
  if (end > log.size()) return false;
  std::size_t at = 0;
  while (at < end) {
    const Bytes rest = Bytes(log).first(static_cast<std::size_t>(end)).subspan(at);
    if (rest.size() < protocol::batch_layout::kFramingSize) return false;
    const std::size_t size = protocol::framed_size(rest);
    if (size > rest.size()) return false;
    auto header = protocol::validate_batch(rest.first(size), protocol::kMaxBatchBytes);
    if (!header || header.value().base_offset != base) return false;
    base = header.value().next_offset();
    at += size;
  }
  return true;
}

// A checkpoint vouches that everything before its position was synced, so
// recovery loads that part without validating it (DESIGN decision 3). Only
// when that is true of the input may the target demand valid reads.
bool checkpoint_honest(const Scenario& s) {
  if (!s.checkpoint) return true;
  for (const auto& seg : s.segments) {
    if (seg.base < s.checkpoint->recovery_segment.value()) {
      if (!valid_prefix(seg.log, seg.base, seg.log.size())) return false;
    } else if (seg.base == s.checkpoint->recovery_segment.value()) {
      // A position past the end makes recovery scan the whole segment.
      if (s.checkpoint->recovery_position <= seg.log.size() &&
          !valid_prefix(seg.log, seg.base, s.checkpoint->recovery_position)) {
        return false;
      }
    }
  }
  return true;
}

void write_file(storage::FileSystem& fsys, const storage::fs::path& path, Bytes bytes) {
  auto file = fsys.open(path, storage::OpenMode::create_read_write);
  FUZZ_CHECK(file && !file.value()->append(bytes));
}

void write_directory(storage::FileSystem& fsys, const storage::fs::path& dir, const Scenario& s) {
  std::error_code ec;
  storage::fs::remove_all(dir, ec);
  FUZZ_CHECK(!fsys.create_directories(dir));
  for (const auto& seg : s.segments) {
    const std::string stem = storage::Segment::file_stem(Offset(seg.base));
    write_file(fsys, dir / (stem + ".log"), seg.log);
    if (seg.has_indexes) {
      write_file(fsys, dir / (stem + ".index"), seg.index);
      write_file(fsys, dir / (stem + ".timeindex"), seg.time_index);
    }
  }
  if (s.checkpoint) FUZZ_CHECK(!storage::write_checkpoint(fsys, dir, *s.checkpoint, false));
  if (s.flags & kCleanMarker) write_file(fsys, dir / storage::kCleanShutdownFile, {});
}

struct ServedBatch {
  std::uint64_t base_offset;
  std::uint64_t next_offset;
  std::int64_t max_timestamp;
  std::uint32_t crc;
  bool operator==(const ServedBatch&) const = default;
};
ServedBatch served_batch(const protocol::BatchHeader& h) {
  return {h.base_offset, h.next_offset(), h.max_timestamp, h.crc};
}

// Reads [log_start, log_end) through PartitionLog::read with the given
// budget. With `strict`, every step must succeed and serve valid batches.
std::vector<ServedBatch> read_everything(PartitionLog& log, std::uint64_t budget, bool strict) {
  std::vector<ServedBatch> served;
  Offset from = log.log_start();
  std::vector<std::uint8_t> buf;
  // Each read advances by at least one offset, and a log recovered from the
  // input holds at most one batch per 56 input bytes, so this bound is loose.
  for (int step = 0; step < 100000 && from < log.log_end(); ++step) {
    auto slice = log.read(from, budget);
    if (!slice) {
      FUZZ_CHECK(!strict);
      return served;
    }
    const storage::SegmentSlice& s = slice.value();
    if (strict) FUZZ_CHECK(s.length > 0 && s.first_offset <= from && from < s.next_offset);
    if (s.length == 0 || s.next_offset <= from) return served;
    buf.resize(s.length);
    auto got = s.file->read_at(s.position, buf);
    FUZZ_CHECK(got && got.value() == buf.size());
    std::size_t at = 0;
    std::uint64_t next = s.first_offset.value();
    while (at < buf.size()) {
      const Bytes rest = Bytes(buf).subspan(at);
      // Trusted files with a lying index can yield a slice that does not end
      // on a batch boundary (the trusted load checks index entries only
      // against each other and the headers after the last one).
      const bool whole = rest.size() >= protocol::batch_layout::kFramingSize &&
                         protocol::framed_size(rest) <= rest.size();
      if (!whole) {
        FUZZ_CHECK(!strict);
        return served;
      }
      const std::size_t size = protocol::framed_size(rest);
      auto header = protocol::validate_batch(rest.first(size), protocol::kMaxBatchBytes);
      if (strict) {
        FUZZ_CHECK(header);
        FUZZ_CHECK(header.value().base_offset == next);
        next = header.value().next_offset();
        served.push_back(served_batch(header.value()));
      }
      at += size;
    }
    if (strict) FUZZ_CHECK(next == s.next_offset.value());
    from = s.next_offset;
  }
  return served;
}

std::vector<std::uint8_t> fresh_batch() {
  protocol::BatchBuilder builder;
  const std::string value = "after recovery";
  builder.add(1'700'000'000'000, std::nullopt, protocol::as_bytes(value));
  return builder.finish();
}

storage::PartitionOptions options(const Scenario& s, const storage::Clock& clock) {
  storage::PartitionOptions o;
  o.config.segment_ms = storage::LogConfig::kDisabled;
  o.config.retention_ms = storage::LogConfig::kDisabled;
  o.config.index_interval_bytes = s.index_interval;
  o.clock = &clock;
  return o;
}

void run(const Scenario& s, const storage::fs::path& dir) {
  storage::PosixFileSystem posix;
  write_directory(posix, dir, s);
  storage::ManualClock clock;
  const bool strict = !(s.flags & kCleanMarker) && checkpoint_honest(s);
  std::vector<ServedBatch> before;
  {
    storage::FileCache cache(posix, 4);
    auto opened = PartitionLog::open(dir, cache, options(s, clock));
    if (!opened) {
      std::fprintf(stderr, "open failed: %s\n", opened.error().message().c_str());
      FUZZ_CHECK(!strict);
      return;
    }
    PartitionLog& log = *opened.value();
    before = read_everything(log, s.budget, strict);
    const auto in_one_go = read_everything(log, std::numeric_limits<std::uint32_t>::max(), strict);
    if (strict) FUZZ_CHECK(in_one_go == before);
    (void)log.read(log.log_end() + 1, s.budget);
    (void)log.read(Offset(log.log_start().value() - 1), s.budget);
    auto first = log.offset_for_timestamp(std::numeric_limits<std::int64_t>::min());
    if (!strict) return;
    FUZZ_CHECK(first);
    if (log.log_end() > log.log_start()) FUZZ_CHECK(first.value() == log.log_start());
    // Some record at or before the end of each batch has its max timestamp.
    for (const auto& b : before) {
      auto found = log.offset_for_timestamp(b.max_timestamp);
      FUZZ_CHECK(found && found.value() && found.value()->value() < b.next_offset);
    }

    // PartitionLog::append does not refuse offsets past the largest u64
    // (reported, not fixed here): a log ending there takes no append.
    if (log.log_end().value() == std::numeric_limits<std::uint64_t>::max()) return;
    std::vector<std::uint8_t> bytes = fresh_batch();
    auto valid = protocol::validate_for_append(bytes, protocol::kMaxBatchBytes);
    FUZZ_CHECK(valid);
    const Offset end = log.log_end();
    auto appended = log.append(valid.value());
    FUZZ_CHECK(appended && appended.value().base == end);
    protocol::BatchHeader stamped = valid.value().header();
    stamped.base_offset = end.value();
    before.push_back(served_batch(stamped));
    FUZZ_CHECK(!log.close());
  }
  storage::FileCache cache(posix, 4);
  auto reopened = PartitionLog::open(dir, cache, options(s, clock));
  FUZZ_CHECK(reopened);
  FUZZ_CHECK(reopened.value()->recovery_report().clean_shutdown);
  FUZZ_CHECK(read_everything(*reopened.value(), s.budget, true) == before);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const test::TempDir root(test::memory_backed_base(), "strata-fuzz-recovery");
  const auto scenario = parse(data, size);
  if (!scenario) return 0;
  run(*scenario, root.path() / "partition");
  return 0;
}
