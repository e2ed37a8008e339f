// Topics and routing across three real brokers and a real etcd (issue 17,
// steps 2-3): a topic created on any broker exists on all, its partitions
// are spread evenly, each is served by its leader alone, the others answer
// NOT_LEADER naming the leader, and a killed broker's partitions are
// LEADER_NOT_AVAILABLE until its restart brings them back with their data.
#include <doctest/doctest.h>

#include <chrono>
#include <iostream>
#include <map>

#include "protocol/metadata_v1.h"
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
  // Within the lease TTL (2 s) plus slack its registration goes.
  CHECK(eventually([&] {
    return s->produce("t", 0, make_batch(make_records("x", 0, 1, now_ms()))).error == ErrorCode::leader_not_available;
  }, 20s));
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
}

}  // namespace strata::it
