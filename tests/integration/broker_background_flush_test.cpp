// Background flush (flush.interval.ms): partitions that only ever see
// acks=leader traffic are still fdatasynced, and their checkpoint moved,
// every interval, so a kill -9 restart scans only what came after the last
// flush instead of the whole log. Without it (flush.interval.ms 0) a crash
// restart re-validates everything, which the crash test saw grow to seconds.
#include <doctest/doctest.h>

#include <filesystem>

#include "storage/checkpoint.h"
#include "storage/posix_file_system.h"
#include "tests/integration/test_util.h"
#include "tests/support/page_cache.h"

namespace strata::it {
namespace {

using protocol::ErrorCode;

constexpr std::uint32_t kRecords = 2000;

// Produces kRecords records of 200 bytes in batches of 100, acks=leader.
void produce_leader(WireClient& c, const std::string& topic, std::uint32_t partition = 0) {
  for (std::uint32_t first = 0; first < kRecords; first += 100) {
    const auto batch = make_batch(make_records("f", first, 100, now_ms(), 200));
    REQUIRE(c.produce(topic, partition, batch, protocol::Acks::leader).error == ErrorCode::none);
  }
}

// The figure before `unit` in the broker's "loaded N topics" line.
std::uint64_t loaded_figure(const BrokerProcess& b, const std::string& unit) {
  for (const auto& line : b.log_lines()) {
    if (line.find("topics with") == std::string::npos) continue;
    const auto at = line.find(unit);
    REQUIRE_MESSAGE(at != std::string::npos, line);
    const auto from = line.rfind(' ', at - 1);
    return std::stoull(line.substr(from + 1, at - from - 1));
  }
  FAIL("no 'loaded N topics' line in the log:\n" << b.log_text());
  return 0;
}

// The partition's synced point, as its checkpoint file records it.
std::uint64_t recovery_offset(const std::filesystem::path& dir) {
  storage::PosixFileSystem fs;
  auto cp = storage::read_checkpoint(fs, dir);
  return cp && cp.value() ? cp.value()->recovery_offset.value() : 0;
}

// The "scanned N bytes" figure of the broker's debug line for `topic`.
std::uint64_t bytes_scanned(const BrokerProcess& b, const std::string& topic) {
  for (const auto& line : b.log_lines()) {
    if (line.find("loaded topic " + topic + ":") == std::string::npos) continue;
    const auto at = line.find("scanned ");
    if (at != std::string::npos) return std::stoull(line.substr(at + 8));
  }
  FAIL("no 'loaded topic " << topic << "' line in the log:\n" << b.log_text());
  return 0;
}

// False (with a message) when the broker's data dir is on tmpfs, which
// keeps its pages whatever the advice.
bool page_cache_observable(const BrokerFixture& f) {
  if (!test::on_tmpfs(f.partition_dir("x", 0).parent_path().parent_path())) return true;
  MESSAGE("skipped: tmpfs keeps its pages whatever the advice");
  return false;
}

}  // namespace

TEST_CASE("background flush: acks=leader data is synced within flush.interval.ms, so kill -9 recovery scans nothing") {
  BrokerFixture f({"--flush-interval-ms", "100", "--log-level", "debug"});
  auto c = f.client();
  REQUIRE(c->create_topic("flushed", 1).error == ErrorCode::none);
  produce_leader(*c, "flushed");
  const auto dir = f.partition_dir("flushed", 0);
  CHECK(eventually([&] { return recovery_offset(dir) == kRecords; }, 10s));
  c.reset();
  f.broker->kill9();
  f.restart({"--flush-interval-ms", "100", "--log-level", "debug"});
  CHECK(bytes_scanned(*f.broker, "flushed") == 0);
  const auto records = read_partition(*f.client(), "flushed", 0);
  CHECK(records.size() == kRecords);
}

TEST_CASE("background flush: with flush.interval.ms 0 nothing is synced and kill -9 recovery scans the whole log") {
  BrokerFixture f({"--flush-interval-ms", "0", "--log-level", "debug"});
  auto c = f.client();
  REQUIRE(c->create_topic("unflushed", 1).error == ErrorCode::none);
  produce_leader(*c, "unflushed");
  c.reset();
  f.broker->kill9();
  f.restart({"--flush-interval-ms", "0", "--log-level", "debug"});
  CHECK(bytes_scanned(*f.broker, "unflushed") > kRecords * 200);
  CHECK(read_partition(*f.client(), "unflushed", 0).size() == kRecords);
}

TEST_CASE("kill -9 restart: partitions recover in parallel, producer state from snapshots, both figures logged") {
  BrokerFixture f({"--flush-interval-ms", "0"});
  auto c = f.client();
  constexpr std::uint32_t kPartitions = 4;
  REQUIRE(c->create_topic("par", kPartitions, {{"segment.bytes", "65536"}}).error == ErrorCode::none);
  for (std::uint32_t p = 0; p < kPartitions; ++p) produce_leader(*c, "par", p);
  c.reset();
  f.broker->kill9();
  f.restart({"--flush-interval-ms", "0", "--recovery-threads", "3"});
  CHECK(f.broker->count_log("(recovery threads: 3); 4 of them had not been closed cleanly") == 1);
  // Nothing was synced: every byte is validated again ...
  CHECK(loaded_figure(*f.broker, " bytes; the producer state") > kPartitions * kRecords * 200);
  // ... but the producer state comes from the snapshot of each partition's
  // last roll plus the active segment's headers, not the log's last 64 MiB.
  CHECK(loaded_figure(*f.broker, " bytes to read") < kPartitions * (65536 + 4096));
  for (std::uint32_t p = 0; p < kPartitions; ++p) CHECK(read_partition(*f.client(), "par", p).size() == kRecords);
}

TEST_CASE("background flush: pagecache.keep.bytes drops synced data behind each partition's tail from the page cache") {
  BrokerFixture f({"--flush-interval-ms", "100"});
  if (!page_cache_observable(f)) return;
  auto c = f.client();
  constexpr std::uint64_t kKeep = 64 * 1024;
  REQUIRE(c->create_topic("cold", 1, {{"pagecache.keep.bytes", std::to_string(kKeep)}}).error == ErrorCode::none);
  REQUIRE(c->create_topic("warm", 1).error == ErrorCode::none);
  CHECK(config_value(*c, "cold", "pagecache.keep.bytes") == std::to_string(kKeep));
  CHECK(config_value(*c, "warm", "pagecache.keep.bytes") == "-1");
  produce_leader(*c, "cold");
  produce_leader(*c, "warm");
  const auto cold_log = f.partition_dir("cold", 0) / "00000000000000000000.log";
  const auto warm_log = f.partition_dir("warm", 0) / "00000000000000000000.log";
  const auto size = std::filesystem::file_size(cold_log);
  REQUIRE(size > 4 * kKeep);
  CHECK(eventually([&] { return recovery_offset(f.partition_dir("cold", 0)) == kRecords; }, 10s));
  CHECK(eventually([&] { return test::resident_in(test::resident_pages(cold_log), 0, size - kKeep).resident == 0; },
                   10s));
  const auto tail = test::resident_in(test::resident_pages(cold_log), size - kKeep, size);
  CHECK(tail.total >= 15);
  CHECK(tail.resident == tail.total);
  const auto warm = test::resident_in(test::resident_pages(warm_log), 0, std::filesystem::file_size(warm_log));
  CHECK(warm.resident == warm.total);
  // Reads of dropped data come from disk, intact.
  CHECK(read_partition(*c, "cold", 0).size() == kRecords);

  // AlterConfigs applies to the open partition: -1 leaves new data cached.
  REQUIRE(c->alter_configs("cold", {{"pagecache.keep.bytes", "-1"}}).error == ErrorCode::none);
  CHECK(config_value(*c, "cold", "pagecache.keep.bytes") == "-1");
  produce_leader(*c, "cold");
  CHECK(eventually([&] { return recovery_offset(f.partition_dir("cold", 0)) == 2 * kRecords; }, 10s));
  const auto grown = std::filesystem::file_size(cold_log);
  const auto fresh = test::resident_in(test::resident_pages(cold_log), size + test::kPageBytes, grown);
  CHECK(fresh.total > 0);
  CHECK(fresh.resident == fresh.total);

  REQUIRE(c->alter_configs("cold", {{"pagecache.keep.bytes", "-2"}}).error == ErrorCode::invalid_config);
}

TEST_CASE("pagecache.keep.bytes: a fast writer's data leaves the page cache without a background flush") {
  BrokerFixture f({"--flush-interval-ms", "0"});
  if (!page_cache_observable(f)) return;
  auto c = f.client();
  REQUIRE(c->create_topic("fast", 1, {{"pagecache.keep.bytes", "0"}}).error == ErrorCode::none);
  // 24 MiB in 200 KiB batches: past the 16 MiB that starts an early sync.
  std::uint32_t sent = 0;
  for (; sent < 12'000; sent += 100) {
    const auto batch = make_batch(make_records("s", sent, 100, now_ms(), 2048));
    REQUIRE(c->produce("fast", 0, batch, protocol::Acks::leader).error == ErrorCode::none);
  }
  const auto log = f.partition_dir("fast", 0) / "00000000000000000000.log";
  constexpr std::uint64_t kEarly = 12 << 20;  // well inside the first early sync
  CHECK(eventually([&] { return test::resident_in(test::resident_pages(log), 0, kEarly).resident == 0; }, 10s));
  CHECK(test::resident_in(test::resident_pages(log), 0, kEarly).total > 3000);
  CHECK(read_partition(*c, "fast", 0).size() == sent);
}

}  // namespace strata::it
