// Topics and routing across three real brokers and a real etcd (issue 17,
// steps 2-3): a topic created on any broker exists on all, its partitions
// are spread evenly, each is served by its leader alone, the others answer
// NOT_LEADER naming the leader, and a killed broker's partitions are
// LEADER_NOT_AVAILABLE until its restart brings them back with their data.
// Issue 18's control plane: Metadata version 2 shows each partition's
// replicas, ISR and leader epoch; the controller takes a dead broker's
// partitions offline (leader -1) and gives them back on its return.
#include <doctest/doctest.h>

#include <chrono>
#include <iostream>
#include <map>

#include "protocol/metadata_v2.h"
#include "tests/integration/broker_cluster_fixture.h"
#include "tests/integration/test_util.h"

namespace strata::it {

using protocol::ErrorCode;

TEST_CASE("a topic created on one broker is on all three, spread evenly, each partition served by its leader only") {
  if (!etcd_installed()) return;
  ThreeBrokers c;
  REQUIRE(c.client(2)->create_topic("orders", 6).error == ErrorCode::none);
  for (int id = 1; id <= 3; ++id) {
    auto w = c.client(id);
    CHECK_MESSAGE(eventually([&] { return w->metadata({"orders"}).topics.at(0).error == ErrorCode::none; }, 10s),
                  "broker " << id);
  }
  const std::vector<int> leaders = leaders_by_produce(c, "orders", 6);
  std::map<int, int> led;
  for (int l : leaders) ++led[l];
  CHECK(led[1] == 2);
  CHECK(led[2] == 2);
  CHECK(led[3] == 2);
  // Metadata version 1 from any broker names the brokers, the controller
  // and the same leaders.
  auto w3 = c.client(3);
  const auto corr = w3->send(protocol::ApiKey::metadata, protocol::MetadataRequest{{"orders"}}, 1);
  const auto v1 = WireClient::decode_reply<protocol::MetadataResponseV1>(WireClient::expect_ok(w3->read_frame(), corr));
  REQUIRE(v1.brokers.size() == 3);
  for (const auto& b : v1.brokers) CHECK(b.port == c.port(b.node_id));
  CHECK((v1.controller >= 1 && v1.controller <= 3));
  REQUIRE(v1.leaders.size() == 1);
  CHECK(v1.leaders[0] == leaders);
  // Version 2 adds each partition's replicas, ISR and leader epoch: one
  // replica each (replication factor 1), its leader.
  const auto corr2 = w3->send(protocol::ApiKey::metadata, protocol::MetadataRequest{{"orders"}}, 2);
  const auto v2 = WireClient::decode_reply<protocol::MetadataResponseV2>(WireClient::expect_ok(w3->read_frame(), corr2));
  CHECK(v2.v1.leaders == v1.leaders);
  REQUIRE(v2.replicas.size() == 1);
  REQUIRE(v2.replicas[0].size() == 6);
  for (std::size_t p = 0; p < 6; ++p) {
    CHECK(v2.replicas[0][p] == protocol::PartitionReplicas{{leaders[p]}, {leaders[p]}, 0});
  }
  // More replicas than brokers alive is refused naming how many are; more
  // than one waits on replicated partitions.
  const auto rf4 = c.client(1)->create_topic("rf", 1, {{"replication.factor", "4"}});
  CHECK(rf4.error == ErrorCode::invalid_replication_factor);
  CHECK_MESSAGE(rf4.message.find("above the 3 brokers alive") != std::string::npos, rf4.message);
  const auto rf2 = c.client(1)->create_topic("rf", 1, {{"replication.factor", "2"}});
  CHECK(rf2.error == ErrorCode::invalid_replication_factor);
  CHECK(rf2.message == "replication.factor above 1 needs replicated partitions, not built yet");
  CHECK(c.client(1)->create_topic("rf", 1, {{"min.insync.replicas", "2"}}).error == ErrorCode::invalid_config);
  const auto raised = c.client(2)->alter_configs("orders", {{"min.insync.replicas", "2"}});
  CHECK(raised.error == ErrorCode::invalid_config);
  CHECK_MESSAGE(raised.message.find("above replication.factor 1") != std::string::npos, raised.message);
  // A non-leader names the leader.
  const int other = leaders[0] % 3 + 1;
  const auto refused = c.client(other)->produce("orders", 0, make_batch(make_records("x", 0, 1, now_ms())));
  CHECK(refused.error == ErrorCode::not_leader);
  CHECK_MESSAGE(refused.message.find("led by broker " + std::to_string(leaders[0])) != std::string::npos,
                refused.message);
  const auto fetched = c.client(other)->fetch_one("orders", 0, 0);
  CHECK(fetched.error == ErrorCode::not_leader);
  // Deleted on a third broker: gone everywhere.
  REQUIRE(c.client(3)->delete_topic("orders").error == ErrorCode::none);
  for (int id = 1; id <= 3; ++id) {
    auto w = c.client(id);
    CHECK_MESSAGE(eventually([&] { return w->metadata({"orders"}).topics.at(0).error != ErrorCode::none; }, 10s),
                  "broker " << id);
  }
}

TEST_CASE("kill -9 of a broker: its partitions are LEADER_NOT_AVAILABLE, the others serve, its restart brings them "
          "back with their data") {
  if (!etcd_installed()) return;
  ThreeBrokers c;
  const std::vector<int> leaders = spread_with_records(c, "t", 5);
  const int victim = leaders[0];
  c.kill9(victim);
  const int survivor = victim % 3 + 1;
  auto s = c.client(survivor);
  // Within the lease TTL (2 s) plus slack its registration goes, and the
  // controller takes its partitions offline (leader -1, the ISR kept).
  std::string why;
  CHECK_MESSAGE(eventually([&] {
    const auto r = s->produce("t", 0, make_batch(make_records("x", 0, 1, now_ms())));
    why = r.message;
    return r.error == ErrorCode::leader_not_available && r.message.find("has no leader") != std::string::npos;
  }, 20s), why);
  CHECK_MESSAGE(why.find("its in-sync replica (broker " + std::to_string(victim) + ") is down") != std::string::npos,
                why);
  for (std::uint32_t p = 0; p < 3; ++p) {
    if (leaders[p] == victim) continue;
    auto l = c.client(leaders[p]);
    CHECK(l->produce("t", p, make_batch(make_records("y", 0, 1, now_ms()))).error == ErrorCode::none);
  }
  const auto restarted = std::chrono::steady_clock::now();
  c.restart(victim);
  auto back = c.client(victim);
  CHECK(eventually([&] { return back->fetch_one("t", 0, 0).error == ErrorCode::none; }, 20s));
  std::cout << "partitions available again " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                                      std::chrono::steady_clock::now() - restarted).count()
            << " ms after the restart began (process start included)\n";
  const auto got = back->fetch_one("t", 0, 0);
  const Decoded d = decode_batches(got.records);
  CHECK(d.records.size() == 6);  // the probe and the five kept
  // Two leader changes: offline, then back to it.
  const auto corr = back->send(protocol::ApiKey::metadata, protocol::MetadataRequest{{"t"}}, 2);
  const auto v2 = WireClient::decode_reply<protocol::MetadataResponseV2>(WireClient::expect_ok(back->read_frame(), corr));
  REQUIRE(v2.replicas.size() == 1);
  CHECK(v2.replicas[0].at(0) == protocol::PartitionReplicas{{victim}, {victim}, 2});
}

}  // namespace strata::it
