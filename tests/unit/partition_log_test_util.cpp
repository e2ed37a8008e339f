#include "partition_log_test_util.h"

#include <sys/stat.h>

#include <map>
#include <random>
#include <string>

#include "protocol/batch_validator.h"
#include "protocol/record.h"

namespace strata::test::plog {

BuiltBatch build_batch(std::uint64_t first_id, std::size_t count, std::int64_t ts, std::size_t value_size) {
  return {tu::make_batch(first_id, count, ts, value_size), tu::batch_records(first_id, count, ts, value_size)};
}

void append_checked(st::PartitionLog& log, LogModel& model, BuiltBatch batch) {
  const std::uint64_t size = batch.bytes.size();
  const std::uint64_t expected_base = model.end();
  const auto res = tu::append_bytes(log, batch.bytes);
  CHECK(res.base == st::Offset(expected_base));
  CHECK(res.last == st::Offset(expected_base + batch.records.size() - 1));
  model.add(size, batch.records);
  CHECK(log.log_end() == st::Offset(model.end()));
}

namespace {

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

}  // namespace

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

LogModel fill(st::PartitionLog& log, std::uint64_t segment_bytes, std::size_t batches, std::uint32_t seed) {
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

}  // namespace strata::test::plog
