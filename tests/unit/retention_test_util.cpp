#include "retention_test_util.h"

#include <random>

namespace strata::test::retention {

std::map<std::uint64_t, std::uint64_t> disk_segments(const sfs::path& dir) {
  std::map<std::uint64_t, std::uint64_t> out;
  for (const auto base : tu::segment_bases(dir)) out[base] = sfs::file_size(tu::segment_file(dir, base, ".log"));
  return out;
}

std::vector<std::string> names_in(const sfs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : sfs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t count_with_suffix(const sfs::path& dir, const std::string& suffix) {
  std::size_t n = 0;
  for (const auto& name : names_in(dir)) n += name.ends_with(suffix) ? 1 : 0;
  return n;
}

void check_segment_files_gone(const sfs::path& dir, std::uint64_t base) {
  CAPTURE(base);
  for (const auto& name : names_in(dir)) {
    CHECK_FALSE(name.starts_with(stem20(base)));
  }
}

void check_contents(st::PartitionLog& log, const Model& model) {
  CHECK(log.log_end() == st::Offset(model.end()));
  const auto start = log.log_start().value();
  const auto got = tu::read_all_with_offsets(log, log.log_start());
  REQUIRE(got.size() == model.end() - start);
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& want = model.records()[start + i];
    CHECK(got[i].offset == want.offset);
    CHECK(got[i].record.key == want.key);
    CHECK(got[i].record.timestamp == want.timestamp);
  }
  if (start > 0) {
    for (std::uint64_t below : {std::uint64_t{0}, start / 2, start - 1}) tu::check_out_of_range(log, st::Offset(below));
  }
}

st::LogConfig config(std::uint64_t segment_bytes, std::int64_t retention_bytes, std::int64_t retention_ms) {
  return tu::small_config(segment_bytes, 256, retention_bytes, retention_ms);
}

st::RetentionReport enforce(st::PartitionLog& log) {
  auto report = log.enforce_retention();
  REQUIRE_MESSAGE(report.has_value(), report.error().message());
  return report.value();
}

void fill_by_size(st::PartitionLog& log, Model& model, const st::ManualClock& clock, int batches) {
  std::mt19937 rng(17);
  for (int b = 0; b < batches; ++b) model.append(log, 1 + rng() % 7, clock.now_ms(), 10 + rng() % 40);
}

void check_size_pass(st::PartitionLog& log, const sfs::path& dir, std::int64_t retention_bytes) {
  const auto before = disk_segments(dir);
  std::uint64_t total_before = 0;
  for (const auto& [base, size] : before) total_before += size;
  REQUIRE(log.size_bytes() == total_before);
  REQUIRE(log.segment_count() == before.size());

  const auto report = enforce(log);
  CHECK_FALSE(report.rolled_active);

  const auto after = disk_segments(dir);
  std::uint64_t total_after = 0;
  for (const auto& [base, size] : after) total_after += size;
  REQUIRE_FALSE(after.empty());
  CHECK(log.segment_count() == after.size());
  CHECK(log.size_bytes() == total_after);

  // What remains is the newest segments, unchanged.
  std::vector<std::uint64_t> before_bases;
  for (const auto& [base, size] : before) before_bases.push_back(base);
  const std::size_t deleted = before.size() - after.size();
  std::size_t i = deleted;
  for (const auto& [base, size] : after) {
    REQUIRE(i < before_bases.size());
    CHECK(base == before_bases[i]);
    CHECK(size == before.at(base));
    ++i;
  }
  std::uint64_t freed = 0;
  for (std::size_t j = 0; j < deleted; ++j) {
    freed += before.at(before_bases[j]);
    check_segment_files_gone(dir, before_bases[j]);
  }
  CHECK(report.segments_deleted == deleted);
  CHECK(report.bytes_freed == freed);
  CHECK(total_before - total_after == freed);

  const auto limit = static_cast<std::uint64_t>(retention_bytes);
  CHECK((total_after <= limit || after.size() == 1));
  if (deleted > 0) {
    // The last one deleted was needed: keeping it would have been over.
    CHECK(total_after + before.at(before_bases[deleted - 1]) > limit);
  }
  CHECK(log.log_start() == st::Offset(after.begin()->first));
  CHECK(count_with_suffix(dir, ".deleted") == 0);
  CHECK(count_with_suffix(dir, ".tmp") == 0);
}

}  // namespace strata::test::retention
