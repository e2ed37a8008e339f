#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "storage/storage_errc.h"
#include "storage_test_util.h"

namespace {

namespace st = strata::storage;
namespace tu = strata::test;
namespace sfs = std::filesystem;

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

using tu::stem20;

// base -> size of <base>.log, for every segment on disk.
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

// No file of any kind is left for a deleted segment.
void check_segment_files_gone(const sfs::path& dir, std::uint64_t base) {
  CAPTURE(base);
  for (const auto& name : names_in(dir)) {
    CHECK_FALSE(name.starts_with(stem20(base)));
  }
}

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

// Size-rolled segments, an index entry every 256 bytes, and this retention.
st::LogConfig config(std::uint64_t segment_bytes, std::int64_t retention_bytes, std::int64_t retention_ms) {
  return tu::small_config(segment_bytes, 256, retention_bytes, retention_ms);
}

// One retention pass; stops the test if it fails.
st::RetentionReport enforce(st::PartitionLog& log) {
  auto report = log.enforce_retention();
  REQUIRE_MESSAGE(report.has_value(), report.error().message());
  return report.value();
}

void fill_by_size(st::PartitionLog& log, Model& model, const st::ManualClock& clock, int batches) {
  std::mt19937 rng(17);
  for (int b = 0; b < batches; ++b) model.append(log, 1 + rng() % 7, clock.now_ms(), 10 + rng() % 40);
}

// Checks one size-retention pass against the rule: oldest first, the total
// ends at or under retention.bytes (or only the active segment is left),
// and no segment went that did not have to.
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

}  // namespace

TEST_SUITE("retention") {

TEST_CASE("retention by size deletes oldest segments until the partition fits") {
  tu::StorageEnv env;
  std::int64_t retention = 0;
  SUBCASE("a few kilobytes") { retention = 3000; }
  SUBCASE("exactly one segment's worth") { retention = 1024; }
  SUBCASE("zero keeps only the active segment") { retention = 0; }
  SUBCASE("larger than the partition deletes nothing") { retention = 1 << 30; }
  CAPTURE(retention);
  auto cfg = config(1024, retention, st::LogConfig::kDisabled);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 60);
  REQUIRE(log->segment_count() >= 10);
  check_size_pass(*log, env.partition_dir(), retention);
  check_contents(*log, model);
  if (retention == 0) CHECK(log->segment_count() == 1);
  if (retention == 1 << 30) CHECK(log->log_start() == st::Offset(0));

  // A second pass right away has nothing to do.
  const auto again = enforce(*log);
  CHECK(again.segments_deleted == 0);
  CHECK(again.bytes_freed == 0);

  // Appends continue at the end; later passes keep the rule.
  fill_by_size(*log, model, env.clock, 30);
  check_size_pass(*log, env.partition_dir(), retention);
  check_contents(*log, model);
}

TEST_CASE("retention.bytes equal to the partition size deletes nothing; one byte less deletes the oldest") {
  tu::StorageEnv env;
  auto cfg = config(800, st::LogConfig::kDisabled, st::LogConfig::kDisabled);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 40);
  const auto segs = disk_segments(env.partition_dir());
  REQUIRE(segs.size() >= 3);
  std::uint64_t total = 0;
  for (const auto& [base, size] : segs) total += size;

  cfg.retention_bytes = static_cast<std::int64_t>(total);
  REQUIRE_FALSE(log->set_config(cfg));
  const auto none = enforce(*log);
  CHECK(none.segments_deleted == 0);
  CHECK(log->log_start() == st::Offset(0));

  cfg.retention_bytes = static_cast<std::int64_t>(total - 1);
  REQUIRE_FALSE(log->set_config(cfg));
  const auto one = enforce(*log);
  CHECK(one.segments_deleted == 1);
  CHECK(one.bytes_freed == segs.begin()->second);
  CHECK(log->log_start() == st::Offset(std::next(segs.begin())->first));
  check_contents(*log, model);
}

TEST_CASE("retention.bytes applies live through set_config") {
  tu::StorageEnv env;
  auto cfg = config(800, st::LogConfig::kDisabled, st::LogConfig::kDisabled);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 50);
  const auto segments = log->segment_count();
  REQUIRE(segments >= 8);
  const auto none = enforce(*log);
  CHECK(none.segments_deleted == 0);
  CHECK(log->segment_count() == segments);

  cfg.retention_bytes = 2000;
  REQUIRE_FALSE(log->set_config(cfg));
  check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
  CHECK(log->segment_count() < segments);
  check_contents(*log, model);
}

TEST_CASE("retention by time deletes segments whose newest record is older than retention.ms") {
  tu::StorageEnv env;
  const std::int64_t retention_ms = 100'000;
  auto cfg = config(1 << 20, st::LogConfig::kDisabled, retention_ms);
  auto log = env.open(cfg);
  Model model;
  // Six closed segments, each with two batches 1 s apart, then the active one.
  std::vector<std::uint64_t> bases;
  for (int s = 0; s < 6; ++s) {
    bases.push_back(model.end());
    model.append(*log, 3, env.clock.now_ms());
    env.clock.advance(1000);
    model.append(*log, 2, env.clock.now_ms());
    env.clock.advance(1000);
    REQUIRE_FALSE(log->roll());
  }
  bases.push_back(model.end());
  model.append(*log, 4, env.clock.now_ms());
  REQUIRE(log->segment_count() == 7);
  std::vector<std::int64_t> newest;
  for (std::size_t s = 0; s < bases.size(); ++s) {
    newest.push_back(model.max_timestamp(bases[s], s + 1 < bases.size() ? bases[s + 1] : model.end()));
  }

  // Nothing is old yet.
  const auto r0 = enforce(*log);
  CHECK(r0.segments_deleted == 0);
  CHECK_FALSE(r0.rolled_active);

  // now - retention.ms == newest of segment 2: segments 0 and 1 are older, 2 is not.
  env.clock.set(newest[2] + retention_ms);
  const auto r1 = enforce(*log);
  CHECK(r1.segments_deleted == 2);
  CHECK_FALSE(r1.rolled_active);
  CHECK(log->log_start() == st::Offset(bases[2]));
  check_segment_files_gone(env.partition_dir(), bases[0]);
  check_segment_files_gone(env.partition_dir(), bases[1]);
  check_contents(*log, model);

  // One millisecond later segment 2 goes too.
  env.clock.advance(1);
  const auto r2 = enforce(*log);
  CHECK(r2.segments_deleted == 1);
  CHECK(log->log_start() == st::Offset(bases[3]));

  // Past the newest of segment 5: all closed segments go, the active stays.
  env.clock.set(newest[5] + retention_ms + 1);
  REQUIRE(newest[6] >= env.clock.now_ms() - retention_ms);
  const auto r3 = enforce(*log);
  CHECK(r3.segments_deleted == 3);
  CHECK_FALSE(r3.rolled_active);
  CHECK(log->segment_count() == 1);
  CHECK(log->log_start() == st::Offset(bases[6]));
  CHECK(disk_segments(env.partition_dir()).size() == 1);
  check_contents(*log, model);
  CHECK(count_with_suffix(env.partition_dir(), ".deleted") == 0);
}

TEST_CASE("an over-age active segment is rolled and deleted, and appends continue") {
  tu::StorageEnv env;
  const std::int64_t retention_ms = 60'000;
  auto cfg = config(1024, st::LogConfig::kDisabled, retention_ms);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 25);
  REQUIRE(log->segment_count() >= 3);
  const auto end = log->log_end();
  const auto size = log->size_bytes();
  const auto newest = model.max_timestamp(0, model.end());

  env.clock.set(newest + retention_ms + 1);
  const auto report = enforce(*log);
  CHECK(report.rolled_active);
  CHECK(report.bytes_freed == size);
  CHECK(log->segment_count() == 1);
  CHECK(log->log_start() == end);
  CHECK(log->log_end() == end);
  CHECK(log->size_bytes() == 0);
  const auto on_disk = disk_segments(env.partition_dir());
  REQUIRE(on_disk.size() == 1);
  CHECK(on_disk.begin()->first == end.value());
  CHECK(on_disk.begin()->second == 0);
  CHECK(count_with_suffix(env.partition_dir(), ".deleted") == 0);
  auto at_end = log->read(end, 1000);
  REQUIRE(at_end.has_value());
  CHECK(at_end.value().length == 0);
  tu::check_out_of_range(*log, st::Offset(end.value() - 1), 1000);
  auto ts = log->offset_for_timestamp(0);
  REQUIRE(ts.has_value());
  CHECK_FALSE(ts.value().has_value());

  // An empty active segment is not rolled again.
  const auto idle = enforce(*log);
  CHECK_FALSE(idle.rolled_active);
  CHECK(idle.segments_deleted == 0);

  // Appends go on at the old end.
  const auto res = model.append(*log, 3, env.clock.now_ms());
  CHECK(res.base == end);
  CHECK(res.last == st::Offset(end.value() + 2));
  check_contents(*log, model);
  auto found = log->offset_for_timestamp(env.clock.now_ms());
  REQUIRE(found.has_value());
  CHECK(found.value() == std::optional<st::Offset>(end));
}

TEST_CASE("-1 disables retention by size and by time") {
  tu::StorageEnv env;
  Model model;
  SUBCASE("both disabled: nothing goes, however big or old") {
    auto log = env.open(config(800, st::LogConfig::kDisabled, st::LogConfig::kDisabled));
    fill_by_size(*log, model, env.clock, 40);
    const auto segments = log->segment_count();
    env.clock.advance(3650 * kDay);
    const auto r = enforce(*log);
    CHECK(r.segments_deleted == 0);
    CHECK_FALSE(r.rolled_active);
    CHECK(log->segment_count() == segments);
    CHECK(disk_segments(env.partition_dir()).size() == segments);
    check_contents(*log, model);
  }
  SUBCASE("retention.bytes -1 with time retention: a big but young partition stays") {
    auto log = env.open(config(800, st::LogConfig::kDisabled, kDay));
    fill_by_size(*log, model, env.clock, 40);
    const auto segments = log->segment_count();
    env.clock.advance(kDay / 2);
    const auto r = enforce(*log);
    CHECK(r.segments_deleted == 0);
    CHECK(log->segment_count() == segments);
    // Time retention still works.
    env.clock.advance(kDay);
    const auto aged = enforce(*log);
    CHECK(aged.rolled_active);
    CHECK(log->log_start() == st::Offset(model.end()));
  }
  SUBCASE("retention.ms -1 with size retention: ancient data within the size stays") {
    auto log = env.open(config(800, 1 << 30, st::LogConfig::kDisabled));
    fill_by_size(*log, model, env.clock, 40);
    const auto segments = log->segment_count();
    env.clock.advance(3650 * kDay);
    const auto r = enforce(*log);
    CHECK(r.segments_deleted == 0);
    CHECK_FALSE(r.rolled_active);
    CHECK(log->segment_count() == segments);
    check_contents(*log, model);
    // Size retention still works.
    auto cfg = log->config();
    cfg.retention_bytes = 1000;
    REQUIRE_FALSE(log->set_config(cfg));
    check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
    CHECK(log->log_start() > st::Offset(0));
  }
}

TEST_CASE("a slice held by a reader stays readable after retention deletes its segment") {
  tu::StorageEnv env;
  auto cfg = config(800, st::LogConfig::kDisabled, st::LogConfig::kDisabled);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 30);
  auto held = log->read(st::Offset(0), 1 << 20);
  REQUIRE(held.has_value());
  REQUIRE(held.value().length > 0);
  std::vector<std::uint8_t> before(held.value().length);
  REQUIRE(held.value().file->read_at(held.value().position, before).has_value());

  cfg.retention_bytes = 0;
  REQUIRE_FALSE(log->set_config(cfg));
  const auto r = enforce(*log);
  REQUIRE(r.segments_deleted > 0);
  REQUIRE(log->log_start() > held.value().next_offset);
  check_segment_files_gone(env.partition_dir(), 0);

  std::vector<std::uint8_t> after(held.value().length);
  auto n = held.value().file->read_at(held.value().position, after);
  REQUIRE(n.has_value());
  CHECK(n.value() == after.size());
  CHECK(after == before);
}

TEST_CASE("the log start offset survives close and reopen") {
  tu::StorageEnv env;
  const auto cfg = config(900, 2500, st::LogConfig::kDisabled);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 50);
  check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
  const auto start = log->log_start();
  REQUIRE(start > st::Offset(0));
  REQUIRE_FALSE(log->close());
  log.reset();

  log = env.open(cfg);
  CHECK(log->recovery_report().clean_shutdown);
  CHECK(log->recovery_report().leftovers_removed == 0);
  CHECK(log->log_start() == start);
  check_contents(*log, model);
  const auto end = log->log_end();
  CHECK(model.append(*log, 2, env.clock.now_ms()).base == end);
}

TEST_CASE("the log start offset survives a crash") {
  tu::StorageEnv env;
  auto cfg = config(900, 2500, 60'000);
  auto log = env.open(cfg);
  Model model;
  fill_by_size(*log, model, env.clock, 50);
  REQUIRE_FALSE(log->sync());

  SUBCASE("after size retention") {
    check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
    const auto start = log->log_start();
    REQUIRE(start > st::Offset(0));
    log.reset();  // no close(): a crash

    log = env.open(cfg);
    CHECK_FALSE(log->recovery_report().clean_shutdown);
    CHECK(log->log_start() == start);
    check_contents(*log, model);
    // And once more, after appending past the crash.
    fill_by_size(*log, model, env.clock, 5);
    log.reset();
    log = env.open(cfg);
    CHECK(log->log_start() == start);
    check_contents(*log, model);
  }
  SUBCASE("after time retention emptied the partition") {
    const auto end = log->log_end();
    env.clock.advance(120'000);
    const auto r = enforce(*log);
    CHECK(r.rolled_active);
    REQUIRE(log->log_start() == end);
    log.reset();  // no close(): a crash

    log = env.open(cfg);
    CHECK(log->log_start() == end);
    CHECK(log->log_end() == end);
    tu::check_out_of_range(*log, st::Offset(end.value() - 1), 100);
    CHECK(model.append(*log, 3, env.clock.now_ms()).base == end);
    check_contents(*log, model);
  }
  SUBCASE("after retention and a power loss") {
    const auto synced_end = log->log_end();
    check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
    const auto start = log->log_start();
    REQUIRE(start > st::Offset(0));
    fill_by_size(*log, model, env.clock, 20);  // not synced
    log.reset();
    for (const auto& name : names_in(env.partition_dir())) env.cache.evict(env.partition_dir() / name);
    REQUIRE_FALSE(env.faults.drop_unsynced());

    log = env.open(cfg);
    CHECK_FALSE(log->recovery_report().clean_shutdown);
    CHECK(log->log_start() == start);
    CHECK(log->log_end() >= synced_end);
    REQUIRE(log->log_end() <= st::Offset(model.end()));
    const auto got = tu::read_all_with_offsets(*log, log->log_start());
    REQUIRE(got.size() == log->log_end().value() - start.value());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].offset == start.value() + i);
      CHECK(got[i].record.key == model.records()[start.value() + i].key);
    }
    tu::check_out_of_range(*log, st::Offset(start.value() - 1), 100);
  }
  SUBCASE("after retention with nothing synced since") {
    fill_by_size(*log, model, env.clock, 20);  // not synced
    check_size_pass(*log, env.partition_dir(), cfg.retention_bytes);
    const auto start = log->log_start();
    log.reset();

    log = env.open(cfg);
    CHECK(log->log_start() == start);
    check_contents(*log, model);
  }
}

TEST_CASE("leftover *.deleted and *.tmp files are swept at open") {
  tu::StorageEnv env;
  const auto cfg = config(900, st::LogConfig::kDisabled, st::LogConfig::kDisabled);
  Model model;
  {
    auto log = env.open(cfg);
    fill_by_size(*log, model, env.clock, 20);
    REQUIRE_FALSE(log->close());
  }
  const auto dir = env.partition_dir();
  const std::vector<std::string> leftovers = {
      stem20(0) + ".log.deleted",     stem20(0) + ".index.deleted", stem20(0) + ".timeindex.deleted",
      stem20(999999) + ".log.deleted", "checkpoint.tmp",             "something.tmp",
  };
  for (const auto& name : leftovers) {
    std::ofstream(dir / name) << "leftover bytes";
    REQUIRE(sfs::exists(dir / name));
  }
  const auto before = disk_segments(dir);

  auto log = env.open(cfg);
  CHECK(log->recovery_report().leftovers_removed == leftovers.size());
  for (const auto& name : leftovers) CHECK_FALSE(sfs::exists(dir / name));
  CHECK(count_with_suffix(dir, ".deleted") == 0);
  CHECK(count_with_suffix(dir, ".tmp") == 0);
  // The real segments are untouched.
  CHECK(disk_segments(dir) == before);
  CHECK(log->log_start() == st::Offset(0));
  check_contents(*log, model);

  // A crash leaves leftovers too; the next open sweeps them.
  log.reset();
  std::ofstream(dir / (stem20(5) + ".timeindex.deleted")) << "x";
  log = env.open(cfg);
  CHECK(log->recovery_report().leftovers_removed == 1);
  CHECK(count_with_suffix(dir, ".deleted") == 0);
  check_contents(*log, model);

  // Nothing to sweep: zero.
  REQUIRE_FALSE(log->close());
  log.reset();
  log = env.open(cfg);
  CHECK(log->recovery_report().leftovers_removed == 0);
}

}  // TEST_SUITE
