// strata-broker processes in cluster mode against a real etcd (issue 17,
// step 1): the options, joining, the data directory's identity, the lease
// record skipped by the topic loader, refusals, and standalone unchanged.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "tests/integration/broker_process.h"
#include "tests/integration/etcd_process.h"
#include "tests/support/temp_dir.h"

namespace strata::it {
namespace {

std::vector<std::string> cluster_args(const EtcdProcess& etcd, int id) {
  return {"--node-id", std::to_string(id), "--etcd-endpoints", etcd.endpoint(), "--lease-ttl-s", "2"};
}

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string refusal_of(const std::filesystem::path& dir, std::vector<std::string> args) {
  try {
    BrokerProcess b(dir, std::move(args), 15s);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(it started)";
}

}  // namespace

TEST_CASE("three brokers join one etcd and stamp their data directories with the cluster id and node id") {
  if (!etcd_installed()) return;
  EtcdProcess etcd;
  test::TempDir d1{"strata-c1"}, d2{"strata-c2"}, d3{"strata-c3"};
  BrokerProcess b1(d1.path(), cluster_args(etcd, 1), 15s);
  BrokerProcess b2(d2.path(), cluster_args(etcd, 2), 15s);
  BrokerProcess b3(d3.path(), cluster_args(etcd, 3), 15s);
  for (BrokerProcess* b : {&b1, &b2, &b3}) CHECK_MESSAGE(b->wait_for_log("joined cluster strata", 10s), b->log_text());
  const std::string meta1 = read_all(d1.path() / "strata~meta");
  CHECK(meta1.find("node.id=1") != std::string::npos);
  const auto id_at = meta1.find("cluster.id=");
  REQUIRE(id_at != std::string::npos);
  const std::string cluster_line = meta1.substr(id_at, meta1.find('\n', id_at) - id_at);
  CHECK(read_all(d2.path() / "strata~meta").find(cluster_line) != std::string::npos);
  CHECK(read_all(d3.path() / "strata~meta").find("node.id=3") != std::string::npos);
  // One of them is the controller, and every broker learns which.
  for (BrokerProcess* b : {&b1, &b2, &b3}) CHECK_MESSAGE(b->wait_for_log("controller", 10s), b->log_text());
}

TEST_CASE("a second live broker with the same node id is refused, naming the option") {
  if (!etcd_installed()) return;
  EtcdProcess etcd;
  test::TempDir d1{"strata-c1"}, d2{"strata-c2"};
  BrokerProcess b1(d1.path(), cluster_args(etcd, 7), 15s);
  const std::string why = refusal_of(d2.path(), cluster_args(etcd, 7));
  CHECK_MESSAGE(why.find("node id 7 is taken by another live broker") != std::string::npos, why);
  CHECK_MESSAGE(why.find("--node-id") != std::string::npos, why);
}

TEST_CASE("a broker killed -9 rejoins at once on restart, and its lease record is not taken for a topic") {
  if (!etcd_installed()) return;
  EtcdProcess etcd;
  test::TempDir d1{"strata-c1"};
  {
    BrokerProcess b(d1.path(), cluster_args(etcd, 1), 15s);
    REQUIRE(std::filesystem::exists(d1.path() / "strata~lease"));
    b.kill9();
  }
  // Within the lease TTL the old registration is still in etcd: the restart
  // revokes it from strata~lease instead of being refused as a duplicate.
  BrokerProcess again(d1.path(), cluster_args(etcd, 1), 15s);
  CHECK_MESSAGE(again.wait_for_log("joined cluster strata", 10s), again.log_text());
  CHECK_MESSAGE(again.count_log("not a topic directory") == 0, again.log_text());
}

TEST_CASE("a data directory of another node is refused, and cluster mode without node.id is refused") {
  if (!etcd_installed()) return;
  EtcdProcess etcd;
  test::TempDir d1{"strata-c1"}, d2{"strata-c2"};
  { BrokerProcess b(d1.path(), cluster_args(etcd, 1), 15s); }
  const std::string foreign = refusal_of(d1.path(), cluster_args(etcd, 2));
  CHECK_MESSAGE(foreign.find("belongs to node 1") != std::string::npos, foreign);
  const std::string no_id = refusal_of(d2.path(), {"--etcd-endpoints", etcd.endpoint()});
  CHECK_MESSAGE(no_id.find("needs node.id (--node-id)") != std::string::npos, no_id);
}

TEST_CASE("without etcd.endpoints the broker runs standalone and writes no cluster identity") {
  test::TempDir d{"strata-standalone"};
  BrokerProcess b(d.path());
  CHECK(b.count_log("joined cluster") == 0);
  CHECK(read_all(d.path() / "strata~meta").find("cluster.id") == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(d.path() / "strata~lease"));
}

}  // namespace strata::it
