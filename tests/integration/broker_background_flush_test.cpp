// Background flush (flush.interval.ms): partitions that only ever see
// acks=leader traffic are still fdatasynced, and their checkpoint moved,
// every interval, so a kill -9 restart scans only what came after the last
// flush instead of the whole log. Without it (flush.interval.ms 0) a crash
// restart re-validates everything, which the crash test saw grow to seconds.
#include <doctest/doctest.h>

#include "storage/checkpoint.h"
#include "storage/posix_file_system.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using protocol::ErrorCode;

constexpr std::uint32_t kRecords = 2000;

// Produces kRecords records of 200 bytes in batches of 100, acks=leader.
void produce_leader(WireClient& c, const std::string& topic) {
  for (std::uint32_t first = 0; first < kRecords; first += 100) {
    const auto batch = make_batch(make_records("f", first, 100, now_ms(), 200));
    REQUIRE(c.produce(topic, 0, batch, protocol::Acks::leader).error == ErrorCode::none);
  }
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

}  // namespace strata::it
