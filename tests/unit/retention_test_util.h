// Shared helpers of the retention tests (retention_*_test.cpp): the segment
// files on disk, a model of the records appended, a check that the log reads
// back exactly the model from log_start on, and a check of one size-retention
// pass against the rule.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "storage_test_util.h"

namespace strata::test::retention {

namespace st = strata::storage;
namespace tu = strata::test;
namespace sfs = std::filesystem;

// base -> size of <base>.log, for every segment on disk.
std::map<std::uint64_t, std::uint64_t> disk_segments(const sfs::path& dir);

// Every file name in dir, sorted.
std::vector<std::string> names_in(const sfs::path& dir);

std::size_t count_with_suffix(const sfs::path& dir, const std::string& suffix);

// No file of any kind is left for a deleted segment.
void check_segment_files_gone(const sfs::path& dir, std::uint64_t base);

struct Appended {
  std::uint64_t offset;
  std::int64_t timestamp;
  std::string key;
};

// Records appended so far, independent of the log.
class Model {
 public:
  st::AppendResult append(st::PartitionLog& log, std::size_t count, std::int64_t ts, std::size_t value_size = 20) {
    auto bytes = tu::make_batch(next_id_, count, ts, value_size);
    const auto res = tu::append_bytes(log, bytes);
    CHECK(res.base == st::Offset(end()));
    for (std::size_t i = 0; i < count; ++i) {
      records_.push_back({end(), ts + static_cast<std::int64_t>(i), "k" + std::to_string(next_id_ + i)});
    }
    next_id_ += count;
    return res;
  }
  [[nodiscard]] std::uint64_t end() const { return records_.size(); }
  [[nodiscard]] const std::vector<Appended>& records() const { return records_; }
  // Newest record timestamp in [from, to).
  [[nodiscard]] std::int64_t max_timestamp(std::uint64_t from, std::uint64_t to) const {
    std::int64_t m = std::numeric_limits<std::int64_t>::min();
    for (std::uint64_t o = from; o < to; ++o) m = std::max(m, records_[o].timestamp);
    return m;
  }

 private:
  std::uint64_t next_id_ = 700;
  std::vector<Appended> records_;
};

// The log reads back exactly the model's records from log_start on, and
// nothing below it.
void check_contents(st::PartitionLog& log, const Model& model);

// Size-rolled segments, an index entry every 256 bytes, and this retention.
st::LogConfig config(std::uint64_t segment_bytes, std::int64_t retention_bytes, std::int64_t retention_ms);

// One retention pass; stops the test if it fails.
st::RetentionReport enforce(st::PartitionLog& log);

// Appends `batches` batches of 1..7 records at the clock's time.
void fill_by_size(st::PartitionLog& log, Model& model, const st::ManualClock& clock, int batches);

// Checks one size-retention pass against the rule: oldest first, the total
// ends at or under retention.bytes (or only the active segment is left),
// and no segment went that did not have to.
void check_size_pass(st::PartitionLog& log, const sfs::path& dir, std::int64_t retention_bytes);

}  // namespace strata::test::retention
