#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "protocol/record.h"
#include "storage/storage_errc.h"
#include "storage_test_util.h"

namespace {

namespace st = strata::storage;
namespace tu = strata::test;
namespace pr = strata::protocol;
namespace sfs = std::filesystem;

using tu::key_for;
using tu::kT0;
using tu::segment_bases;
using tu::stem20;

// ---------------------------------------------------------------------------
// Batches and what they should read back as.

struct BuiltBatch {
  std::vector<std::uint8_t> bytes;
  std::vector<tu::TestRecord> records;
};

BuiltBatch build_batch(std::uint64_t first_id, std::size_t count, std::int64_t ts, std::size_t value_size = 0) {
  return {tu::make_batch(first_id, count, ts, value_size), tu::batch_records(first_id, count, ts, value_size)};
}

// One record per timestamp, in the given order (timestamps may go down).
BuiltBatch build_custom(std::uint64_t first_id, const std::vector<std::int64_t>& timestamps) {
  pr::BatchBuilder builder;
  BuiltBatch b;
  for (std::size_t i = 0; i < timestamps.size(); ++i) {
    b.records.push_back({timestamps[i], key_for(first_id + i), tu::value_for(first_id + i, 0)});
  }
  for (const auto& r : b.records) builder.add(r.timestamp, pr::as_bytes(r.key), pr::as_bytes(r.value));
  b.bytes = builder.finish();
  return b;
}

// ---------------------------------------------------------------------------
// An independent model of the log: which batch went where, under the
// documented size-roll rule (a non-empty active segment rolls when the batch
// would take it past segment.bytes). No time rolls: tests using it keep the
// clock still.

struct ModelRecord {
  std::uint64_t offset;
  tu::TestRecord record;
};
struct ModelBatch {
  std::uint64_t base;
  std::uint64_t next;
  std::uint64_t size;
  std::size_t segment;
  std::uint64_t position;
};
struct ModelSegment {
  std::uint64_t base;
  std::uint64_t size = 0;
  std::size_t batches = 0;
};
struct ExpectedSlice {
  std::uint64_t first;
  std::uint64_t next;
  std::uint64_t position;
  std::uint64_t length;
  std::size_t segment;
};

class LogModel {
 public:
  explicit LogModel(std::uint64_t segment_bytes) : segment_bytes_(segment_bytes) {}

  void add(std::uint64_t size, const std::vector<tu::TestRecord>& records) {
    if (segments_.empty() || (segments_.back().batches > 0 && segments_.back().size + size > segment_bytes_)) {
      segments_.push_back({end_});
    }
    ModelSegment& seg = segments_.back();
    batches_.push_back({end_, end_ + records.size(), size, segments_.size() - 1, seg.size});
    seg.size += size;
    ++seg.batches;
    for (const auto& r : records) records_.push_back({end_++, r});
  }

  [[nodiscard]] std::uint64_t end() const { return end_; }
  [[nodiscard]] const std::vector<ModelRecord>& records() const { return records_; }
  [[nodiscard]] const std::vector<ModelBatch>& batches() const { return batches_; }
  [[nodiscard]] const std::vector<ModelSegment>& segments() const { return segments_; }
  [[nodiscard]] std::vector<std::uint64_t> segment_bases() const {
    std::vector<std::uint64_t> out;
    for (const auto& s : segments_) out.push_back(s.base);
    return out;
  }
  [[nodiscard]] std::uint64_t min_batch_size() const {
    std::uint64_t m = std::numeric_limits<std::uint64_t>::max();
    for (const auto& b : batches_) m = std::min(m, b.size);
    return m;
  }

  // Whole batches of one segment from the batch holding `from`, as many as
  // fit in budget (at least one).
  [[nodiscard]] ExpectedSlice expected_slice(std::uint64_t from, std::uint64_t budget) const {
    auto it = std::upper_bound(batches_.begin(), batches_.end(), from,
                               [](std::uint64_t o, const ModelBatch& b) { return o < b.next; });
    REQUIRE(it != batches_.end());
    ExpectedSlice e{it->base, it->next, it->position, it->size, it->segment};
    for (auto j = std::next(it); j != batches_.end() && j->segment == e.segment && e.length + j->size <= budget; ++j) {
      e.length += j->size;
      e.next = j->next;
    }
    return e;
  }

 private:
  std::uint64_t segment_bytes_;
  std::uint64_t end_ = 0;
  std::vector<ModelRecord> records_;
  std::vector<ModelBatch> batches_;
  std::vector<ModelSegment> segments_;
};

void append_checked(st::PartitionLog& log, LogModel& model, BuiltBatch batch) {
  const std::uint64_t size = batch.bytes.size();
  const std::uint64_t expected_base = model.end();
  const auto res = tu::append_bytes(log, batch.bytes);
  CHECK(res.base == st::Offset(expected_base));
  CHECK(res.last == st::Offset(expected_base + batch.records.size() - 1));
  model.add(size, batch.records);
  CHECK(log.log_end() == st::Offset(model.end()));
}

// ---------------------------------------------------------------------------
// On-disk helpers.

std::map<std::uint64_t, ino_t> segment_inodes(const sfs::path& dir) {
  std::map<std::uint64_t, ino_t> out;
  for (auto base : segment_bases(dir)) {
    struct stat sb {};
    REQUIRE(::stat((dir / (stem20(base) + ".log")).c_str(), &sb) == 0);
    out[base] = sb.st_ino;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Reading everything from `from` to the end with one budget, checking each
// slice against the model and against its own bytes. Returns the first
// discrepancy found, or "".

struct SliceBatch {
  std::uint64_t base;
  std::uint64_t next;
  std::uint64_t size;
};

std::string describe(std::uint64_t from, std::uint64_t budget, std::uint64_t at, const std::string& what) {
  return "read from " + std::to_string(from) + " budget " + std::to_string(budget) + ", slice at " +
         std::to_string(at) + ": " + what;
}

std::string check_read_to_end(st::PartitionLog& log, const LogModel& model,
                              const std::map<std::uint64_t, ino_t>& inodes, std::uint64_t from,
                              std::uint64_t budget) {
  std::vector<ModelRecord> got;
  std::uint64_t next = from;
  std::vector<std::uint8_t> buf;
  while (next < log.log_end().value()) {
    auto res = log.read(st::Offset(next), budget);
    if (!res) return describe(from, budget, next, "error " + res.error().message());
    const st::SegmentSlice& s = res.value();
    if (s.length == 0) return describe(from, budget, next, "empty slice before the log end");
    const ExpectedSlice e = model.expected_slice(next, budget);

    // Whole batches, starting at the one holding `next`.
    if (!(s.first_offset.value() <= next && next < s.next_offset.value())) {
      return describe(from, budget, next,
                      "slice [" + std::to_string(s.first_offset.value()) + ", " +
                          std::to_string(s.next_offset.value()) + ") does not hold the offset");
    }
    buf.resize(s.length);
    auto n = s.file->read_at(s.position, buf);
    if (!n || n.value() != buf.size()) return describe(from, budget, next, "short read of slice bytes");
    std::vector<SliceBatch> parsed;
    std::size_t at = 0;
    while (at < buf.size()) {
      if (buf.size() - at < pr::batch_layout::kFramingSize) return describe(from, budget, next, "partial batch");
      const std::size_t size = pr::framed_size(pr::Bytes(buf).subspan(at));
      if (at + size > buf.size()) return describe(from, budget, next, "slice cuts a batch");
      const auto batch = pr::Bytes(buf).subspan(at, size);
      auto header = pr::validate_batch(batch, pr::kMaxBatchBytes);
      if (!header) return describe(from, budget, next, "invalid batch: " + header.error().message());
      parsed.push_back({header.value().base_offset, header.value().next_offset(), size});
      pr::RecordReader reader(batch, header.value());
      pr::Record r;
      while (reader.next(r)) {
        if (r.offset < next) continue;
        got.push_back({r.offset, {r.timestamp, std::string(pr::as_string(r.key.value())),
                                  std::string(pr::as_string(r.value.value()))}});
      }
      if (reader.error()) return describe(from, budget, next, "bad records");
      at += size;
    }
    if (parsed.front().base != s.first_offset.value()) {
      return describe(from, budget, next, "first_offset is not the first batch's base");
    }
    if (!(parsed.front().base <= next && next < parsed.front().next)) {
      return describe(from, budget, next, "first batch does not hold the offset");
    }
    for (std::size_t i = 1; i < parsed.size(); ++i) {
      if (parsed[i].base != parsed[i - 1].next) return describe(from, budget, next, "batches not contiguous");
    }
    if (parsed.back().next != s.next_offset.value()) {
      return describe(from, budget, next, "next_offset is not the last batch's end");
    }
    if (s.length > budget && parsed.size() > 1) {
      return describe(from, budget, next, "over budget with more than one batch");
    }

    // One segment only: the file is the segment's file, and the slice ends
    // at or before that segment's end.
    const auto& seg = model.segments()[e.segment];
    const std::uint64_t seg_end =
        e.segment + 1 < model.segments().size() ? model.segments()[e.segment + 1].base : model.end();
    if (s.next_offset.value() > seg_end) return describe(from, budget, next, "slice spans two segments");
    struct stat sb {};
    if (::fstat(s.file->native_handle(), &sb) != 0 || !inodes.contains(seg.base) || sb.st_ino != inodes.at(seg.base)) {
      return describe(from, budget, next, "slice file is not segment " + stem20(seg.base) + ".log");
    }

    // Exactly as many whole batches as fit.
    if (s.first_offset.value() != e.first || s.position != e.position) {
      return describe(from, budget, next, "starts at offset " + std::to_string(s.first_offset.value()) + " pos " +
                                              std::to_string(s.position) + ", expected offset " +
                                              std::to_string(e.first) + " pos " + std::to_string(e.position));
    }
    if (s.length != e.length || s.next_offset.value() != e.next) {
      return describe(from, budget, next,
                      "length " + std::to_string(s.length) + " next " + std::to_string(s.next_offset.value()) +
                          ", expected length " + std::to_string(e.length) + " next " + std::to_string(e.next));
    }
    next = s.next_offset.value();
  }

  // The records are exactly the tail from `from`.
  const auto& all = model.records();
  const auto first = static_cast<std::size_t>(from);
  if (got.size() != all.size() - first) {
    return describe(from, budget, from,
                    "got " + std::to_string(got.size()) + " records, expected " + std::to_string(all.size() - first));
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& w = all[first + i];
    if (got[i].offset != w.offset || got[i].record.key != w.record.key || got[i].record.value != w.record.value ||
        got[i].record.timestamp != w.record.timestamp) {
      return describe(from, budget, got[i].offset, "record differs from what was appended");
    }
  }
  return {};
}

void check_every_offset(st::PartitionLog& log, const LogModel& model, const sfs::path& dir, std::uint64_t budget) {
  const auto inodes = segment_inodes(dir);
  std::size_t failures = 0;
  std::string first_failure;
  for (std::uint64_t from = log.log_start().value(); from <= log.log_end().value(); ++from) {
    auto err = check_read_to_end(log, model, inodes, from, budget);
    if (!err.empty() && failures++ == 0) first_failure = err;
  }
  INFO("budget " << budget << ": " << failures << " offsets failed; first: " << first_failure);
  CHECK(failures == 0);
}

// Batches of 1..7 records with varied value sizes; ids are not offsets.
LogModel fill(st::PartitionLog& log, std::uint64_t segment_bytes, std::size_t batches, std::uint32_t seed = 7) {
  LogModel model(segment_bytes);
  std::mt19937 rng(seed);
  std::uint64_t id = 5000;
  for (std::size_t b = 0; b < batches; ++b) {
    const std::size_t count = 1 + rng() % 7;
    const std::size_t value_size = 5 + rng() % 60;
    append_checked(log, model, build_batch(id, count, kT0 + static_cast<std::int64_t>(b) * 100, value_size));
    id += count;
  }
  return model;
}

// Runs the calling test case once per index density, as doctest subcases:
// one index entry per segment, one every `sparse` bytes, one per batch.
std::uint32_t index_interval_subcases(std::uint32_t sparse) {
  std::uint32_t interval = 4096;
  SUBCASE("one index entry per segment") { interval = 4096; }
  SUBCASE("sparse index") { interval = sparse; }
  SUBCASE("every batch indexed") { interval = 1; }
  return interval;
}

void check_disk_matches_model(const sfs::path& dir, const LogModel& model, std::uint64_t segment_bytes) {
  const auto bases = segment_bases(dir);
  CHECK(bases == model.segment_bases());
  for (const auto& seg : model.segments()) {
    CAPTURE(seg.base);
    const auto stem = stem20(seg.base);
    CHECK(sfs::exists(dir / (stem + ".log")));
    CHECK(sfs::exists(dir / (stem + ".index")));
    CHECK(sfs::exists(dir / (stem + ".timeindex")));
    if (!sfs::exists(dir / (stem + ".log"))) continue;
    const auto size = sfs::file_size(dir / (stem + ".log"));
    CHECK(size == seg.size);
    // Only a segment holding one oversize batch may exceed segment.bytes.
    if (size > segment_bytes) CHECK(seg.batches == 1);
  }
}

std::optional<std::uint64_t> brute_force_timestamp(const LogModel& model, std::int64_t ts) {
  for (const auto& r : model.records()) {
    if (r.record.timestamp >= ts) return r.offset;
  }
  return std::nullopt;
}

void check_timestamps(st::PartitionLog& log, const LogModel& model) {
  std::set<std::int64_t> queries;
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  for (const auto& r : model.records()) {
    queries.insert({r.record.timestamp - 1, r.record.timestamp, r.record.timestamp + 1});
    lo = std::min(lo, r.record.timestamp);
    hi = std::max(hi, r.record.timestamp);
  }
  queries.insert({lo - 1'000'000, hi + 1'000'000, std::numeric_limits<std::int64_t>::min(),
                  std::numeric_limits<std::int64_t>::max()});
  std::size_t failures = 0;
  for (auto ts : queries) {
    auto got = log.offset_for_timestamp(ts);
    REQUIRE_MESSAGE(got.has_value(), got.error().message());
    const auto want = brute_force_timestamp(model, ts);
    const std::optional<std::uint64_t> have =
        got.value() ? std::optional<std::uint64_t>(got.value()->value()) : std::nullopt;
    if (have != want) {
      if (failures < 5) {
        FAIL_CHECK("offset_for_timestamp(" << ts << ") = " << (have ? std::to_string(*have) : "nullopt")
                                           << ", expected " << (want ? std::to_string(*want) : "nullopt"));
      }
      ++failures;
    }
  }
  CHECK(failures == 0);
  // Before everything: the log start; after everything: none.
  auto before = log.offset_for_timestamp(lo - 1);
  REQUIRE(before.has_value());
  CHECK(before.value() == std::optional<st::Offset>(log.log_start()));
  auto after = log.offset_for_timestamp(hi + 1);
  REQUIRE(after.has_value());
  CHECK_FALSE(after.value().has_value());
}

}  // namespace

TEST_SUITE("partition_log") {

TEST_CASE("a new partition is empty and reads at offset 0 give an empty slice") {
  tu::StorageEnv env;
  auto log = env.open();
  CHECK(log->log_start() == st::Offset(0));
  CHECK(log->log_end() == st::Offset(0));
  CHECK(log->segment_count() == 1);
  CHECK(log->size_bytes() == 0);
  auto empty = log->read(st::Offset(0), 1024);
  REQUIRE(empty.has_value());
  CHECK(empty.value().length == 0);
  tu::check_out_of_range(*log, st::Offset(1), 1024);
  auto ts = log->offset_for_timestamp(0);
  REQUIRE(ts.has_value());
  CHECK_FALSE(ts.value().has_value());
  CHECK(sfs::exists(env.partition_dir() / (stem20(0) + ".log")));
}

TEST_CASE("append results are contiguous and earliest/latest offsets follow them") {
  tu::StorageEnv env;
  auto log = env.open(tu::small_config(2048, 256));
  std::uint64_t expected_next = 0;
  std::mt19937 rng(3);
  for (int i = 0; i < 60; ++i) {
    const std::size_t count = 1 + rng() % 7;
    auto bytes = tu::make_batch(static_cast<std::uint64_t>(i) * 100, count, kT0 + i, 20);
    const auto res = tu::append_bytes(*log, bytes);
    CHECK(res.base == st::Offset(expected_next));
    CHECK(res.last == st::Offset(expected_next + count - 1));
    CHECK(res.last.value() - res.base.value() + 1 == count);
    expected_next += count;
    CHECK(log->log_start() == st::Offset(0));
    CHECK(log->log_end() == st::Offset(expected_next));
    // The stamped base offset is written into the caller's bytes.
    CHECK(pr::load_le<std::uint64_t>(bytes.data()) == res.base.value());
  }
  CHECK(log->segment_count() > 1);
  const auto records = tu::read_all_with_offsets(*log, st::Offset(0));
  REQUIRE(records.size() == expected_next);
  for (std::size_t i = 0; i < records.size(); ++i) CHECK(records[i].offset == i);
}

TEST_CASE("reads from every offset across many segments return exactly the tail") {
  tu::StorageEnv env;
  const std::uint64_t segment_bytes = 2048;
  const std::uint32_t interval = index_interval_subcases(300);
  CAPTURE(interval);
  auto log = env.open(tu::small_config(segment_bytes, interval));
  const LogModel model = fill(*log, segment_bytes, 70);
  REQUIRE(model.segments().size() >= 8);
  CHECK(log->segment_count() == model.segments().size());
  check_disk_matches_model(env.partition_dir(), model, segment_bytes);

  const std::uint64_t smaller_than_any_batch = model.min_batch_size() - 1;
  for (std::uint64_t budget : {std::uint64_t{1}, smaller_than_any_batch, std::uint64_t{700}, std::uint64_t{1} << 20}) {
    check_every_offset(*log, model, env.partition_dir(), budget);
  }
}

TEST_CASE("a budget near UINT64_MAX reads the rest of the segment") {
  tu::StorageEnv env;
  const std::uint64_t segment_bytes = 2048;
  auto log = env.open(tu::small_config(segment_bytes, 300));
  const LogModel model = fill(*log, segment_bytes, 30);
  REQUIRE(model.segments().size() >= 3);
  for (std::uint64_t budget : {std::numeric_limits<std::uint64_t>::max(),
                               std::numeric_limits<std::uint64_t>::max() - 100}) {
    check_every_offset(*log, model, env.partition_dir(), budget);
  }
}

TEST_CASE("offsets outside [log_start, log_end] are out of range; log_end is empty") {
  tu::StorageEnv env;
  auto cfg = tu::small_config(1024, 256);
  auto log = env.open(cfg);
  const LogModel model = fill(*log, cfg.segment_bytes, 30);
  const auto end = log->log_end();
  REQUIRE(end == st::Offset(model.end()));

  auto at_end = log->read(end, 1 << 20);
  REQUIRE(at_end.has_value());
  CHECK(at_end.value().length == 0);
  CHECK(at_end.value().first_offset == end);
  CHECK(at_end.value().next_offset == end);

  for (std::uint64_t beyond : {end.value() + 1, end.value() + 1000, std::numeric_limits<std::uint64_t>::max()}) {
    CAPTURE(beyond);
    for (std::uint64_t budget : {std::uint64_t{1}, std::uint64_t{1} << 20}) {
      tu::check_out_of_range(*log, st::Offset(beyond), budget);
    }
  }

  // Move the log start forward (retention.bytes 0 keeps only the active segment).
  cfg.retention_bytes = 0;
  REQUIRE_FALSE(log->set_config(cfg));
  auto report = log->enforce_retention();
  REQUIRE(report.has_value());
  const auto bases = segment_bases(env.partition_dir());
  REQUIRE(bases.size() == 1);
  CHECK(log->log_start() == st::Offset(bases.front()));
  REQUIRE(log->log_start() > st::Offset(0));
  for (std::uint64_t below : {std::uint64_t{0}, log->log_start().value() - 1}) {
    tu::check_out_of_range(*log, st::Offset(below));
  }
  auto first = log->read(log->log_start(), 1 << 20);
  REQUIRE(first.has_value());
  CHECK(first.value().first_offset == log->log_start());
  CHECK(first.value().length > 0);
  auto still_end = log->read(end, 1);
  REQUIRE(still_end.has_value());
  CHECK(still_end.value().length == 0);
}

TEST_CASE("offset_for_timestamp with monotone timestamps across many segments") {
  tu::StorageEnv env;
  const std::uint32_t interval = index_interval_subcases(200);
  CAPTURE(interval);
  const auto cfg = tu::small_config(1024, interval);
  auto log = env.open(cfg);
  LogModel model(cfg.segment_bytes);
  std::mt19937 rng(11);
  std::uint64_t id = 0;
  for (int b = 0; b < 80; ++b) {
    const std::size_t count = 1 + rng() % 7;
    append_checked(*log, model, build_batch(id, count, kT0 + b * 100, 10));
    id += count;
  }
  REQUIRE(model.segments().size() >= 8);
  check_timestamps(*log, model);

  // The answers hold after a clean reopen (indexes loaded from disk)...
  REQUIRE_FALSE(log->close());
  log.reset();
  log = env.open(cfg);
  CHECK(log->recovery_report().clean_shutdown);
  check_timestamps(*log, model);

  // ...and after a crash (indexes rebuilt by recovery).
  for (int b = 80; b < 90; ++b) {
    append_checked(*log, model, build_batch(id, 3, kT0 + b * 100, 10));
    id += 3;
  }
  log.reset();
  log = env.open(cfg);
  CHECK_FALSE(log->recovery_report().clean_shutdown);
  CHECK(log->log_end() == st::Offset(model.end()));
  check_timestamps(*log, model);
}

TEST_CASE("offset_for_timestamp with non-monotone timestamps finds the first offset at or after T") {
  tu::StorageEnv env;
  const std::uint32_t interval = index_interval_subcases(150);
  CAPTURE(interval);
  const auto cfg = tu::small_config(900, interval);
  auto log = env.open(cfg);
  LogModel model(cfg.segment_bytes);
  std::mt19937 rng(5);
  std::uint64_t id = 0;
  for (int b = 0; b < 90; ++b) {
    // Batch-level jumps back and forth, and records inside a batch out of
    // order too, with some equal timestamps.
    const std::int64_t batch_ts = kT0 + static_cast<std::int64_t>((b * 7919) % 97) * 10;
    const std::size_t count = 1 + rng() % 7;
    std::vector<std::int64_t> ts;
    for (std::size_t i = 0; i < count; ++i) ts.push_back(batch_ts + static_cast<std::int64_t>(rng() % 25) - 12);
    append_checked(*log, model, build_custom(id, ts));
    id += count;
  }
  // A late batch far older than everything, and one far newer in the middle of time.
  append_checked(*log, model, build_custom(id, {kT0 - 5000, kT0 - 6000}));
  id += 2;
  append_checked(*log, model, build_custom(id, {kT0 + 100000, kT0 - 7000, kT0 + 50}));
  id += 3;
  REQUIRE(model.segments().size() >= 8);
  check_timestamps(*log, model);

  REQUIRE_FALSE(log->close());
  log.reset();
  log = env.open(cfg);
  check_timestamps(*log, model);
}

TEST_CASE("segments roll by size; an oversize batch gets a segment of its own") {
  tu::StorageEnv env;
  const std::uint64_t segment_bytes = 600;
  auto log = env.open(tu::small_config(segment_bytes, 128));
  LogModel model(segment_bytes);
  std::uint64_t id = 0;
  std::size_t prev_segments = 1;
  for (int b = 0; b < 40; ++b) {
    const bool oversize = b % 9 == 4;
    auto batch = oversize ? build_batch(id, 3, kT0 + b, 400) : build_batch(id, 1 + static_cast<std::size_t>(b % 7), kT0 + b, 8);
    if (oversize) REQUIRE(batch.bytes.size() > segment_bytes);
    const auto count = batch.records.size();
    append_checked(*log, model, std::move(batch));
    id += count;
    CHECK(log->segment_count() == model.segments().size());
    CHECK(log->segment_count() >= prev_segments);
    prev_segments = log->segment_count();
    if (oversize) {
      // It went into a segment that was empty before it.
      CHECK(model.segments().back().batches == 1);
      CHECK(log->log_end() == st::Offset(model.end()));
    }
  }
  CHECK(model.segments().size() >= 10);
  check_disk_matches_model(env.partition_dir(), model, segment_bytes);
  CHECK(log->size_bytes() == [&] {
    std::uint64_t total = 0;
    for (const auto& s : model.segments()) total += s.size;
    return total;
  }());
  check_every_offset(*log, model, env.partition_dir(), 1);
  check_every_offset(*log, model, env.partition_dir(), 1 << 20);

  // An oversize batch into a brand-new, empty log: no roll, it stays in segment 0.
  tu::StorageEnv env2;
  auto log2 = env2.open(tu::small_config(100, 128));
  auto big = build_batch(0, 2, kT0, 300);
  REQUIRE(big.bytes.size() > 100);
  const auto res = tu::append_bytes(*log2, big.bytes);
  CHECK(res.base == st::Offset(0));
  CHECK(log2->segment_count() == 1);
  CHECK(segment_bases(env2.partition_dir()) == std::vector<std::uint64_t>{0});
}

TEST_CASE("segment files are named by 20-digit base offset with .log, .index and .timeindex") {
  tu::StorageEnv env;
  auto log = env.open(tu::small_config(700, 128));
  const LogModel model = fill(*log, 700, 40);
  REQUIRE(model.segments().size() >= 5);
  std::set<std::string> expected;
  for (auto base : model.segment_bases()) {
    for (const char* suffix : {".log", ".index", ".timeindex"}) expected.insert(stem20(base) + suffix);
  }
  std::set<std::string> segment_files;
  for (const auto& e : sfs::directory_iterator(env.partition_dir())) {
    const auto name = e.path().filename().string();
    const auto dot = name.find('.');
    if (dot == 20 && tu::is_stem20(name.substr(0, 20))) segment_files.insert(name);
  }
  CHECK(segment_files == expected);
  CHECK(stem20(12345) == "00000000000000012345");
  CHECK(st::Segment::file_stem(st::Offset(12345)) == stem20(12345));
}

TEST_CASE("segments roll by time with segment.ms") {
  tu::StorageEnv env;
  auto cfg = tu::small_config(1 << 20, 4096);
  cfg.segment_ms = 1000;
  auto log = env.open(cfg);  // segment 0 is created now
  auto append1 = [&](std::uint64_t id) {
    auto b = tu::make_batch(id, 1, env.clock.now_ms());
    return tu::append_bytes(*log, b);
  };
  // An empty active segment never rolls, however old.
  env.clock.advance(5000);
  CHECK(append1(0).base == st::Offset(0));
  CHECK(log->segment_count() == 1);
  // Segment 0 was created 5000 ms ago, at open: the next append rolls.
  CHECK(append1(1).base == st::Offset(1));
  CHECK(log->segment_count() == 2);
  CHECK(segment_bases(env.partition_dir()) == std::vector<std::uint64_t>{0, 1});

  // Segment 1 was created just now: 999 ms later it is still active...
  env.clock.advance(999);
  CHECK(append1(2).base == st::Offset(2));
  CHECK(log->segment_count() == 2);
  // ...and at exactly segment.ms it rolls.
  env.clock.advance(1);
  CHECK(append1(3).base == st::Offset(3));
  CHECK(log->segment_count() == 3);
  CHECK(segment_bases(env.partition_dir()) == std::vector<std::uint64_t>{0, 1, 3});

  // segment.ms = -1: never rolls by time.
  cfg.segment_ms = st::LogConfig::kDisabled;
  REQUIRE_FALSE(log->set_config(cfg));
  env.clock.advance(365LL * 24 * 3600 * 1000);
  CHECK(append1(4).base == st::Offset(4));
  CHECK(log->segment_count() == 3);

  const auto records = tu::read_all_with_offsets(*log, st::Offset(0));
  REQUIRE(records.size() == 5);
  for (std::size_t i = 0; i < records.size(); ++i) {
    CHECK(records[i].offset == i);
    CHECK(records[i].record.key == key_for(i));
  }
}

TEST_CASE("an explicit roll starts a new segment at log_end; rolling an empty segment does nothing") {
  tu::StorageEnv env;
  auto log = env.open(tu::small_config(1 << 20, 4096));
  REQUIRE_FALSE(log->roll());
  CHECK(log->segment_count() == 1);
  auto b = tu::make_batch(0, 4, kT0);
  tu::append_bytes(*log, b);
  REQUIRE_FALSE(log->roll());
  CHECK(log->segment_count() == 2);
  REQUIRE_FALSE(log->roll());
  CHECK(log->segment_count() == 2);
  CHECK(segment_bases(env.partition_dir()) == std::vector<std::uint64_t>{0, 4});
  auto c = tu::make_batch(4, 1, kT0);
  CHECK(tu::append_bytes(*log, c).base == st::Offset(4));
  CHECK(tu::read_all(*log, st::Offset(0)).size() == 5);
}

TEST_CASE("reopen after close keeps offsets and data and scans nothing") {
  tu::StorageEnv env;
  const auto cfg = tu::small_config(1500, 256);
  auto log = env.open(cfg);
  LogModel model = fill(*log, cfg.segment_bytes, 60);
  const auto segments = log->segment_count();
  const auto size = log->size_bytes();
  REQUIRE(segments >= 5);
  REQUIRE_FALSE(log->close());
  // A closed log refuses work.
  auto closed_read = log->read(st::Offset(0), 100);
  REQUIRE_FALSE(closed_read.has_value());
  CHECK(closed_read.error() == make_error_code(st::StorageErrc::closed));
  auto closed_bytes = tu::make_batch(1, 1, kT0);
  tu::check_append_fails(*log, closed_bytes, make_error_code(st::StorageErrc::closed));
  auto closed_ts = log->offset_for_timestamp(kT0);
  REQUIRE_FALSE(closed_ts.has_value());
  CHECK(closed_ts.error() == make_error_code(st::StorageErrc::closed));
  CHECK_FALSE(log->close());  // closing twice is harmless
  log.reset();

  log = env.open(cfg);
  const auto& rep = log->recovery_report();
  CHECK(rep.clean_shutdown);
  CHECK(rep.bytes_scanned == 0);
  CHECK(rep.segments_recovered == 0);
  CHECK(rep.bytes_truncated == 0);
  CHECK_FALSE(rep.corruption_found);
  CHECK(rep.segments == segments);
  CHECK(log->log_start() == st::Offset(0));
  CHECK(log->log_end() == st::Offset(model.end()));
  CHECK(log->segment_count() == segments);
  CHECK(log->size_bytes() == size);
  check_every_offset(*log, model, env.partition_dir(), 1);
  check_every_offset(*log, model, env.partition_dir(), 1 << 20);

  // Appends continue where the log ended, in the same size-roll pattern.
  std::uint64_t id = 90000;
  for (int b = 0; b < 15; ++b) {
    append_checked(*log, model, build_batch(id, 3, kT0 + 10000 + b, 30));
    id += 3;
  }
  CHECK(log->segment_count() == model.segments().size());

  // Closes the log and opens it again: clean, nothing scanned, nothing lost.
  auto close_and_reopen = [&] {
    REQUIRE_FALSE(log->close());
    log.reset();
    log = env.open(cfg);
    CHECK(log->recovery_report().clean_shutdown);
    CHECK(log->recovery_report().bytes_scanned == 0);
    CHECK(log->log_end() == st::Offset(model.end()));
  };
  close_and_reopen();
  check_disk_matches_model(env.partition_dir(), model, cfg.segment_bytes);
  check_every_offset(*log, model, env.partition_dir(), 500);

  // Closing again without writes keeps it clean.
  close_and_reopen();
}

TEST_CASE("set_config applies live and rejects invalid values") {
  tu::StorageEnv env;
  auto cfg = tu::small_config(1 << 20, 4096);
  auto log = env.open(cfg);
  std::uint64_t id = 0;
  auto append = [&](std::size_t count) {
    auto b = tu::make_batch(id, count, env.clock.now_ms(), 50);
    id += count;
    return tu::append_bytes(*log, b);
  };
  for (int i = 0; i < 5; ++i) (void)append(2);
  CHECK(log->segment_count() == 1);

  // segment.bytes down: the very next append rolls, then every one does.
  auto small = cfg;
  small.segment_bytes = 1;
  REQUIRE_FALSE(log->set_config(small));
  CHECK(log->config().segment_bytes == 1);
  CHECK(append(2).base == st::Offset(10));
  CHECK(log->segment_count() == 2);
  CHECK(append(2).base == st::Offset(12));
  CHECK(log->segment_count() == 3);

  // segment.ms live.
  auto timed = cfg;
  timed.segment_ms = 100;
  REQUIRE_FALSE(log->set_config(timed));
  (void)append(1);
  const auto before = log->segment_count();
  env.clock.advance(100);
  (void)append(1);
  CHECK(log->segment_count() == before + 1);

  const st::LogConfig good = log->config();
  auto reject = [&](st::LogConfig bad, const char* what) {
    CAPTURE(what);
    CHECK(bad.validate() == make_error_code(st::StorageErrc::invalid_config));
    CHECK(log->set_config(bad) == make_error_code(st::StorageErrc::invalid_config));
    CHECK(log->config().segment_bytes == good.segment_bytes);
    CHECK(log->config().segment_ms == good.segment_ms);
    CHECK(log->config().retention_bytes == good.retention_bytes);
    CHECK(log->config().retention_ms == good.retention_ms);
    CHECK(log->config().index_interval_bytes == good.index_interval_bytes);
    // Opening with it fails the same way.
    tu::TempDir other;
    auto opened = st::PartitionLog::open(other.path() / "p", env.cache, env.options(bad));
    REQUIRE_FALSE(opened.has_value());
    CHECK(opened.error() == make_error_code(st::StorageErrc::invalid_config));
  };
  st::LogConfig bad = good;
  bad.segment_bytes = 0;
  reject(bad, "segment.bytes 0");
  bad = good;
  bad.segment_bytes = st::LogConfig::kMaxSegmentBytes + 1;
  reject(bad, "segment.bytes too large");
  bad = good;
  bad.segment_ms = 0;
  reject(bad, "segment.ms 0");
  bad = good;
  bad.segment_ms = -2;
  reject(bad, "segment.ms -2");
  bad = good;
  bad.retention_bytes = -2;
  reject(bad, "retention.bytes -2");
  bad = good;
  bad.retention_ms = -2;
  reject(bad, "retention.ms -2");
  bad = good;
  bad.index_interval_bytes = 0;
  reject(bad, "index.interval.bytes 0");

  // The edges of the valid ranges are accepted.
  st::LogConfig edge = good;
  edge.segment_bytes = st::LogConfig::kMaxSegmentBytes;
  edge.segment_ms = st::LogConfig::kDisabled;
  edge.retention_bytes = 0;
  edge.retention_ms = 0;
  edge.index_interval_bytes = 1;
  CHECK_FALSE(edge.validate());
  CHECK_FALSE(log->set_config(edge));
  CHECK(log->config().segment_bytes == st::LogConfig::kMaxSegmentBytes);
  edge.segment_bytes = 1;
  edge.segment_ms = 1;
  edge.retention_bytes = st::LogConfig::kDisabled;
  edge.retention_ms = st::LogConfig::kDisabled;
  CHECK_FALSE(log->set_config(edge));
  CHECK(log->config().segment_ms == 1);

  // After the rejections the log still works and holds everything.
  const auto end = log->log_end();
  CHECK(append(1).base == end);
  CHECK(tu::read_all(*log, st::Offset(0)).size() == end.value() + 1);
}

}  // TEST_SUITE
