// Shared helpers of the partition log tests (partition_log_*_test.cpp):
// batches together with the records they should read back as, an
// independent model of which batch went to which segment, and checks of
// reads from every offset and of the segment files against that model.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <limits>
#include <vector>

#include "storage_test_util.h"

namespace strata::test::plog {

namespace st = strata::storage;
namespace tu = strata::test;
namespace pr = strata::protocol;
namespace sfs = std::filesystem;

// ---------------------------------------------------------------------------
// Batches and what they should read back as.

struct BuiltBatch {
  std::vector<std::uint8_t> bytes;
  std::vector<tu::TestRecord> records;
};

BuiltBatch build_batch(std::uint64_t first_id, std::size_t count, std::int64_t ts, std::size_t value_size = 0);

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

void append_checked(st::PartitionLog& log, LogModel& model, BuiltBatch batch);

// Reads from every offset between log_start and log_end to the end with one
// budget, checking each slice against the model and against its own bytes:
// whole batches of one segment, as many as fit, and exactly the records
// appended.
void check_every_offset(st::PartitionLog& log, const LogModel& model, const sfs::path& dir, std::uint64_t budget);

// Batches of 1..7 records with varied value sizes; ids are not offsets.
LogModel fill(st::PartitionLog& log, std::uint64_t segment_bytes, std::size_t batches, std::uint32_t seed = 7);

// Runs the calling test case once per index density, as doctest subcases:
// one index entry per segment, one every `sparse` bytes, one per batch.
std::uint32_t index_interval_subcases(std::uint32_t sparse);

// The segment files on disk are those of the model, with the model's sizes.
void check_disk_matches_model(const sfs::path& dir, const LogModel& model, std::uint64_t segment_bytes);

}  // namespace strata::test::plog
