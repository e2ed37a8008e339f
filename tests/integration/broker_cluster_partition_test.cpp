// A broker cut off by the network (issue 17; the partition fault of issue
// 18's harness): three brokers, each in its own network namespace (NetLab),
// etcd on the bridge. Skipped, saying so, where network namespaces cannot be
// made (not root, no iproute2).
#include <doctest/doctest.h>

#include <array>
#include <memory>

#include "tests/integration/broker_process.h"
#include "tests/integration/etcd_process.h"
#include "tests/integration/net_lab.h"
#include "tests/integration/test_util.h"
#include "tests/integration/wire_client.h"
#include "tests/support/temp_dir.h"

namespace strata::it {

using protocol::ErrorCode;

namespace {

constexpr std::uint16_t kPort = 9392;  // each broker's own namespace: no clash

struct PartitionedCluster {
  NetLab lab{3};
  EtcdProcess etcd{15s, 200ms, lab.gateway()};
  std::array<test::TempDir, 3> dirs{test::TempDir{"strata-n1"}, test::TempDir{"strata-n2"}, test::TempDir{"strata-n3"}};
  std::array<std::unique_ptr<BrokerProcess>, 3> brokers;

  PartitionedCluster() {
    for (int i = 0; i < 3; ++i) {
      const std::vector<std::string> args{"--node-id", std::to_string(i + 1), "--etcd-endpoints",
                                          etcd.endpoint_on(lab.gateway()), "--lease-ttl-s", "2", "--listen",
                                          lab.address(i) + ":" + std::to_string(kPort)};
      brokers[static_cast<std::size_t>(i)] =
          std::make_unique<BrokerProcess>(dirs[static_cast<std::size_t>(i)].path(), args, 15s, std::nullopt, lab.netns(i));
    }
  }
  // Node id `id` (1..3).
  [[nodiscard]] std::unique_ptr<WireClient> client(int id) const {
    return std::make_unique<WireClient>(lab.address(id - 1), kPort);
  }
  [[nodiscard]] BrokerProcess& broker(int id) { return *brokers[static_cast<std::size_t>(id - 1)]; }
};

protocol::ProducePartitionResult produce_one(WireClient& w, std::uint32_t partition, const char* value) {
  return w.produce("t", partition, make_batch(make_records(value, 0, 1, now_ms())));
}

}  // namespace

TEST_CASE("a broker partitioned from everything past its lease: the others answer LEADER_NOT_AVAILABLE for its "
          "partitions and serve theirs, and healed, it registers again and serves its data") {
  if (!etcd_installed()) return;
  if (!NetLab::available()) {
    MESSAGE("SKIPPED: network namespaces need root and iproute2 (ip netns)");
    return;
  }
  PartitionedCluster c;
  REQUIRE(c.client(1)->create_topic("t", 3).error == ErrorCode::none);
  // Each partition's leader: the broker that accepts a probe record.
  std::array<int, 3> leaders{-1, -1, -1};
  REQUIRE(eventually([&] {
    for (int id = 1; id <= 3; ++id) {
      auto w = c.client(id);
      for (std::uint32_t p = 0; p < 3; ++p) {
        if (leaders[p] < 0 && produce_one(*w, p, "probe").error == ErrorCode::none) leaders[p] = id;
      }
    }
    return leaders[0] > 0 && leaders[1] > 0 && leaders[2] > 0;
  }, 20s));
  const int victim = leaders[0];
  REQUIRE(c.client(victim)->produce("t", 0, make_batch(make_records("keep", 0, 4, now_ms()))).error == ErrorCode::none);

  c.lab.isolate(victim - 1);
  const int survivor = victim % 3 + 1;
  auto s = c.client(survivor);
  CHECK(eventually([&] { return produce_one(*s, 0, "x").error == ErrorCode::leader_not_available; }, 20s));
  for (std::uint32_t p = 1; p < 3; ++p) {
    if (leaders[p] != victim) CHECK(produce_one(*c.client(leaders[p]), p, "y").error == ErrorCode::none);
  }

  c.lab.heal(victim - 1);
  REQUIRE(c.broker(victim).wait_for_log("registering again", 30s));
  CHECK(eventually([&] {
    const auto r = produce_one(*s, 0, "x");
    return r.error == ErrorCode::not_leader && r.message.find("broker " + std::to_string(victim)) != std::string::npos;
  }, 20s));
  auto v = c.client(victim);
  const auto got = v->fetch_one("t", 0, 0);
  REQUIRE(got.error == ErrorCode::none);
  CHECK(decode_batches(got.records).records.size() == 5);  // the probe and the four kept
  CHECK(produce_one(*v, 0, "after").error == ErrorCode::none);
}

}  // namespace strata::it
