// `strata cluster` against a real three-broker cluster and a standalone
// broker (issue 17): brokers, controller and partitions led, in text and
// JSON, from any broker of a bootstrap list.
#include <doctest/doctest.h>

#include <chrono>

#include "tests/integration/broker_cluster_fixture.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/client_test_util.h"
#include "tests/support/temp_dir.h"

namespace strata::it {

TEST_CASE("strata cluster lists three brokers, one controller, and partitions led spread evenly") {
  if (!etcd_installed()) return;
  ThreeBrokers c;
  REQUIRE(create_everywhere(c, 1, "orders", 6));
  // A bootstrap list whose first entry is down: the next answers.
  const std::string bootstrap = "127.0.0.1:1,127.0.0.1:" + std::to_string(c.port(2));
  const ProcessResult r = run_strata(bootstrap, {"cluster", "--format", "json"});
  REQUIRE_MESSAGE(r.code == 0, r.describe());
  const JsonValue j = parse_json(r.out);
  const auto& brokers = j.at("brokers");
  REQUIRE(brokers.size() == 3);
  int controllers = 0;
  for (const auto& b : brokers) {
    CHECK(as_int(b.at("partitions_led")) == 2);
    CHECK(as_int(b.at("port")) == c.port(static_cast<int>(as_int(b.at("id")))));
    controllers += b.at("controller").get<bool>() ? 1 : 0;
  }
  CHECK_MESSAGE(controllers == 1, r.out);
  const ProcessResult text = run_strata("127.0.0.1:" + std::to_string(c.port(3)), {"cluster"});
  CHECK(text.out.find("ID\tADDRESS\tCONTROLLER\tPARTITIONS LED") != std::string::npos);
  // topic describe names each partition's leader, the same ones as produce
  // finds, and asks each leader for its numbers (the broker asked leads
  // only two: it alone would answer NOT_LEADER for the rest).
  const std::vector<int> leaders = leaders_by_produce(c, "orders", 6);
  const ProcessResult d = run_strata("127.0.0.1:" + std::to_string(c.port(1)), {"topic", "describe", "orders", "--format", "json"});
  REQUIRE_MESSAGE(d.code == 0, d.describe());
  const JsonValue described = parse_json(d.out);
  const auto& parts = described.at("partitions");
  REQUIRE(parts.size() == 6);
  for (std::size_t p = 0; p < 6; ++p) {
    CHECK(as_int(parts[p].at("leader")) == leaders[p]);
    CHECK_MESSAGE(as_int(parts[p].at("latest")) == 1, d.out);  // leaders_by_produce's probe
    CHECK_MESSAGE(!parts[p].contains("error"), d.out);
  }
  const ProcessResult dt = run_strata("127.0.0.1:" + std::to_string(c.port(1)), {"topic", "describe", "orders"});
  CHECK_MESSAGE(dt.out.find("NOT_LEADER") == std::string::npos, dt.out);
  CHECK_MESSAGE(dt.out.find("  leader") != std::string::npos, dt.out);
}

TEST_CASE("strata produce to a partition another broker leads goes to its leader") {
  if (!etcd_installed()) return;
  ThreeBrokers c;
  REQUIRE(create_everywhere(c, 1, "t", 3));
  const std::vector<int> leaders = leaders_by_produce(c, "t", 3);  // one probe record each
  const int other = leaders[0] % 3 + 1;
  const std::string bootstrap = "127.0.0.1:" + std::to_string(c.port(other));
  const ProcessResult r = run_strata(bootstrap, {"produce", "t", "--partition", "0"}, "hello\n", 30s);
  CHECK_MESSAGE(r.code == 0, r.describe());
  CHECK_MESSAGE(r.err.find("sent 1 of 1") != std::string::npos, r.describe());
  // It is on the leader, and reading through the same non-leader finds it.
  const auto f = c.client(leaders[0])->fetch_one("t", 0, 1);
  REQUIRE(f.error == protocol::ErrorCode::none);
  CHECK(decode_batches(f.records).records.size() == 1);
  const ProcessResult read = run_strata(bootstrap, {"consume", "t", "--partition", "0", "-o", "1"});
  CHECK_MESSAGE(read.out == "hello\n", read.describe());
  const ProcessResult offsets = run_strata(bootstrap, {"offsets", "t"});
  CHECK_MESSAGE(offsets.out.find("0\t0\t2\n") != std::string::npos, offsets.describe());
}

TEST_CASE("strata cluster on a standalone broker says there is no cluster") {
  test::TempDir d{"strata-standalone"};
  BrokerProcess b(d.path());
  const ProcessResult r = run_strata("127.0.0.1:" + std::to_string(b.port()), {"cluster"});
  CHECK_MESSAGE(r.out.find("standalone broker") != std::string::npos, r.describe());
}

}  // namespace strata::it
