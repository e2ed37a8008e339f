#include "recovery_test_util.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>

namespace strata::test::recovery {
namespace {

void expect_records(const std::vector<ReadRecord>& got, const Model& m, std::uint64_t from) {
  REQUIRE(from <= m.records.size());
  REQUIRE(got.size() == m.records.size() - from);
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& want = m.records[from + i];
    const bool same = got[i].offset == from + i && got[i].record.timestamp == want.timestamp &&
                      got[i].record.key == want.key && got[i].record.value == want.value;
    if (!same) {
      FAIL_CHECK("record " << from + i << " differs: got offset " << got[i].offset << " key " << got[i].record.key
                           << " ts " << got[i].record.timestamp << ", want key " << want.key << " ts "
                           << want.timestamp);
      return;
    }
  }
}

}  // namespace

void check_log(PartitionLog& log, const Model& m) {
  REQUIRE(log.log_start() == Offset(0));
  REQUIRE(log.log_end() == Offset(m.next()));
  for (const std::uint64_t budget : {std::uint64_t{64} * 1024, std::uint64_t{1}}) {
    CAPTURE(budget);
    expect_records(read_all_with_offsets(log, Offset(0), budget), m, 0);
  }
}

void close_and_check_clean_reopen(StorageEnv& env, const LogConfig& cfg, Proc& p, const Model& m) {
  REQUIRE_FALSE(p.log->close());
  Proc q(env, cfg);
  CHECK(q.log->recovery_report().clean_shutdown);
  CHECK(q.log->recovery_report().bytes_scanned == 0);
  check_log(*q.log, m);
}

void check_every_offset(PartitionLog& log, const Model& m) {
  for (std::uint64_t o = 0; o < m.next(); ++o) {
    CAPTURE(o);
    expect_records(read_all_with_offsets(log, Offset(o), 200), m, o);
    auto found = log.offset_for_timestamp(kT0 + static_cast<std::int64_t>(o));
    REQUIRE(found.has_value());
    REQUIRE(found.value().has_value());
    CHECK(found.value()->value() == o);
  }
  auto before = log.offset_for_timestamp(kT0 - 1000);
  REQUIRE(before.has_value());
  CHECK(before.value() == std::optional<Offset>(Offset(0)));
  auto after = log.offset_for_timestamp(kT0 + static_cast<std::int64_t>(m.next()));
  REQUIRE(after.has_value());
  CHECK_FALSE(after.value().has_value());
}

Location locate(const fs::path& dir, const Model& m, std::size_t j) {
  const auto bases = segment_bases(dir);
  auto it = std::upper_bound(bases.begin(), bases.end(), m.batches[j].first);
  REQUIRE(it != bases.begin());
  Location loc{*std::prev(it), 0};
  for (std::size_t i = 0; i < j; ++i) {
    if (m.batches[i].first >= loc.segment) loc.position += m.batches[i].size;
  }
  return loc;
}

void write_file(const fs::path& path, const std::vector<std::uint8_t>& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  REQUIRE(out.good());
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  REQUIRE(out.good());
}

}  // namespace strata::test::recovery
