// Several brokers' cluster parts (ClusterNode) against one real etcd, in
// one process: discovery, one controller, topics through it visible to
// all, controller failover, and the refusals (foreign data directory,
// duplicate node id, no etcd).
#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/cluster_node.h"
#include "storage/data_dir_format.h"
#include "storage/posix_file_system.h"
#include "tests/integration/etcd_process.h"
#include "tests/integration/etcd_test_util.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using namespace cluster;
using Clock = std::chrono::steady_clock;

// A broker's data directory (kept across restarts) and its ClusterNode.
struct Broker {
  explicit Broker(std::string endpoints) : etcd(std::move(endpoints)) {
    REQUIRE(storage::check_data_dir(fs, dir.path()));
  }
  Result<std::unique_ptr<ClusterNode>> start(std::int32_t id, const std::string& cluster_name = "strata") {
    std::string why;
    auto checked = check_cluster_options({id, etcd, cluster_name, 1}, why);
    REQUIRE_MESSAGE(checked, why);
    ClusterNodeOptions o;
    o.cluster = std::move(checked).value();
    o.endpoints = {{"strata", "127.0.0.1", static_cast<std::uint16_t>(9100 + id)}};
    o.fs = &fs;
    o.data_dir = dir.path();
    o.log = [this](const std::string& line) { log.add(line); };
    refusal.clear();
    return ClusterNode::start(std::move(o), refusal);
  }
  std::unique_ptr<ClusterNode> must_start(std::int32_t id) {
    auto n = start(id);
    REQUIRE_MESSAGE(n, refusal);
    return std::move(n).value();
  }

  std::string etcd;
  test::TempDir dir{"strata-node"};
  storage::PosixFileSystem fs;
  LogSink log;
  std::string refusal;
};

Result<TopicRecord> create(ClusterNode& n, const std::string& name, std::int32_t partitions) {
  std::promise<Result<TopicRecord>> p;
  auto f = p.get_future();
  n.create_topic({name, partitions, 1, {}}, [&p](Result<TopicRecord> r) { p.set_value(std::move(r)); });
  return f.get();
}

}  // namespace

TEST_CASE("cluster node: three brokers find each other, agree on a controller, and see its topics") {
  EtcdProcess etcd;
  Broker b1(etcd.endpoint()), b2(etcd.endpoint()), b3(etcd.endpoint());
  auto n1 = b1.must_start(1);
  auto n2 = b2.must_start(2);
  auto n3 = b3.must_start(3);
  std::vector<ClusterNode*> all{n1.get(), n2.get(), n3.get()};
  REQUIRE(eventually([&] {
    for (auto* n : all) {
      if (n->metadata()->brokers.size() != 3 || n->controller().broker_id == -1) return false;
      if (n->controller() != n1->controller()) return false;
    }
    return true;
  }, 10s));
  CHECK(n1->cluster_id() == n2->cluster_id());
  CHECK(n2->metadata()->brokers.at(3).endpoints.at(0).port == 9103);
  ClusterNode* controller = all.at(static_cast<std::size_t>(n1->controller().broker_id - 1));
  ClusterNode* other = controller == n1.get() ? n2.get() : n1.get();

  CHECK(create(*other, "orders", 6).error() == make_error_code(ClusterErrc::not_controller));
  const auto t = create(*controller, "orders", 6);
  REQUIRE(t);
  std::map<std::int32_t, int> led;
  for (const auto& r : t.value().replicas) ++led[r.at(0)];
  CHECK(led == std::map<std::int32_t, int>{{1, 2}, {2, 2}, {3, 2}});
  REQUIRE(eventually([&] {
    for (auto* n : all) {
      const auto m = n->metadata();
      if (m->topics.count("orders") == 0 || m->partitions.count("orders") == 0 ||
          m->partitions.at("orders").size() != 6) {
        return false;
      }
    }
    return true;
  }, 10s));
  CHECK(n3->metadata()->topics.at("orders").topic_id == t.value().topic_id);

  std::promise<std::error_code> deleted;
  controller->delete_topic("orders", [&](std::error_code ec) { deleted.set_value(ec); });
  CHECK_FALSE(deleted.get_future().get());
  CHECK(eventually([&] { return n1->metadata()->topics.empty() && n3->metadata()->partitions.empty(); }, 10s));
}

TEST_CASE("cluster node: when the controller's broker leaves, another takes over and creates topics") {
  EtcdProcess etcd;
  Broker b1(etcd.endpoint()), b2(etcd.endpoint());
  auto n1 = b1.must_start(1);
  REQUIRE(eventually([&] { return n1->controller().broker_id == 1; }, 10s));
  auto n2 = b2.must_start(2);
  REQUIRE(eventually([&] { return n2->controller().broker_id == 1; }, 10s));
  const auto left = Clock::now();
  n1.reset();  // a clean stop: its lease is revoked
  REQUIRE(eventually([&] { return n2->controller().broker_id == 2; }, 10s));
  MESSAGE("controller failover after a clean stop: "
          << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - left).count() << " ms");
  CHECK(eventually([&] { return n2->metadata()->brokers.size() == 1; }, 10s));
  const auto t = create(*n2, "after", 2);
  REQUIRE(t);
  CHECK(t.value().replicas == std::vector<std::vector<std::int32_t>>{{2}, {2}});
}

TEST_CASE("cluster node: refusals name what is wrong: another node's directory, a live duplicate id, no etcd") {
  EtcdProcess etcd;
  Broker b1(etcd.endpoint());
  {
    auto n1 = b1.must_start(1);
    Broker twin(etcd.endpoint());
    const auto dup = twin.start(1);
    CHECK(dup.error() == make_error_code(ClusterErrc::duplicate_broker_id));
    CHECK(twin.refusal.find("node id 1 is taken") != std::string::npos);
  }
  // The same directory as node 5, and in another cluster: refused, unchanged.
  const auto as5 = b1.start(5);
  CHECK(as5.error() == make_error_code(ClusterErrc::foreign_data_dir));
  CHECK(b1.refusal.find("belongs to node 1") != std::string::npos);
  CHECK(b1.start(1, "other").error() == make_error_code(ClusterErrc::foreign_data_dir));
  CHECK(b1.start(1));  // and as itself it starts

  Broker nowhere("http://127.0.0.1:" + std::to_string(free_port()));
  const auto t0 = Clock::now();
  CHECK(nowhere.start(9).error() == make_error_code(ClusterErrc::etcd_unreachable));
  CHECK(Clock::now() - t0 < 3s);
  CHECK(nowhere.refusal.find("cannot read the cluster id from etcd") != std::string::npos);
}

}  // namespace strata::it
