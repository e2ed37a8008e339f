// The open-file limit at start: the broker raises its soft RLIMIT_NOFILE to
// the hard limit, and if its settings still need more descriptors than that
// it lowers file.cache.size and max.connections to fit, saying so once.
// Before, under `ulimit -Sn 1024` a broker with a 400-partition topic failed
// at start with "Too many open files" (the defaults need 1,024 cached files
// per shard plus 10,000 connections).
#include <doctest/doctest.h>

#include <sys/resource.h>

#include "tests/integration/broker_api_test_util.h"

namespace strata::it {
namespace {

constexpr std::uint32_t kPartitions = 400;

// A data dir holding topic "big" of 400 partitions.
struct FourHundredPartitions {
  FourHundredPartitions() {
    BrokerProcess b(dir.path(), {"--file-cache-size", "64"});
    WireClient c(b.port());
    REQUIRE(c.create_topic("big", kPartitions).error == ErrorCode::none);
    REQUIRE(b.stop().code == 0);
  }
  // Every partition takes a produce and returns it.
  void check_serves(const BrokerProcess& b) const {
    WireClient c(b.port());
    for (std::uint32_t p = 0; p < kPartitions; ++p) {
      CAPTURE(p);
      REQUIRE(c.produce("big", p, make_batch(make_records("s", p, 1, now_ms()))).error == ErrorCode::none);
      const auto fetched = c.fetch_one("big", p, 0);
      REQUIRE(fetched.error == ErrorCode::none);
      CHECK(decode_batches(fetched.records).records.size() == 1);
    }
  }
  TempDir dir;
};

std::uint64_t hard_limit() {
  rlimit lim{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &lim) == 0);
  return lim.rlim_max;
}

}  // namespace

TEST_CASE("open-file limit: under ulimit -Sn 1024 a 400-partition broker raises its soft limit and serves") {
  const std::uint64_t hard = hard_limit();
  if (hard < 13'000) {
    MESSAGE("skipped: the hard open-file limit " << hard << " is below what the defaults need");
    return;
  }
  FourHundredPartitions data;
  BrokerProcess b(data.dir.path(), {}, 10s, OpenFileLimit{1024, hard});
  CHECK(b.wait_for_log("raised the open-file limit (RLIMIT_NOFILE) from 1024 to the hard limit " +
                       std::to_string(hard)));
  CHECK_FALSE(b.wait_for_log("lowered"));
  data.check_serves(b);
  CHECK_FALSE(b.wait_for_log("Too many open files"));
}

TEST_CASE("open-file limit: a hard limit of 1024 lowers file.cache.size and max.connections, with one warning") {
  FourHundredPartitions data;
  BrokerProcess b(data.dir.path(), {}, 10s, OpenFileLimit{1024, 1024});
  REQUIRE(b.wait_for_log("lowered file.cache.size to"));
  CHECK(b.count_log("is below the") == 1);
  CHECK(b.wait_for_log("LimitNOFILE="));
  data.check_serves(b);
  CHECK_FALSE(b.wait_for_log("Too many open files"));
  CHECK_FALSE(b.wait_for_log("read-only"));
}

TEST_CASE("open-file limit: connections beyond the lowered max.connections are told TOO_MANY_CONNECTIONS") {
  TempDir dir;
  // 300 descriptors: about 64 connections once the caches and reserve are
  // taken (the log says how many).
  BrokerProcess b(dir.path(), {}, 10s, OpenFileLimit{300, 300});
  REQUIRE(b.wait_for_log("and max.connections to"));
  std::vector<std::unique_ptr<WireClient>> clients;
  std::size_t served = 0;
  std::size_t refused = 0;
  for (int i = 0; i < 150; ++i) {
    clients.push_back(std::make_unique<WireClient>(b.port(), 5s));
    const std::uint32_t id = clients.back()->send(protocol::ApiKey::api_versions, protocol::ApiVersionsRequest{});
    ResponseFrame r;
    REQUIRE(clients.back()->read_frame(r, 5000ms) == ReadOutcome::frame);
    CHECK(r.header.correlation_id == id);
    if (r.header.error == ErrorCode::none) ++served;
    if (r.header.error == ErrorCode::too_many_connections) ++refused;
  }
  MESSAGE(served << " served, " << refused << " refused");
  CHECK(served > 0);
  CHECK(served + refused == 150);
  CHECK(refused > 0);
  CHECK_FALSE(b.wait_for_log("Too many open files"));
}

TEST_CASE("open-file limit: a limit too small for any settings stops start-up with the fix") {
  TempDir dir;
  try {
    BrokerProcess b(dir.path(), {}, 5s, OpenFileLimit{64, 64});
    FAIL("the broker started under a 64-descriptor limit");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    CHECK(what.find("cannot hold even file.cache.size") != std::string::npos);
    CHECK(what.find("LimitNOFILE=") != std::string::npos);
  }
}

}  // namespace strata::it
