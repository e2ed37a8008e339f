// Failures across three real brokers and a real etcd (issue 17): the
// controller's broker killed, etcd stopped and restarted, and a topic
// deleted and re-created while one broker was down. Timing bounds are
// generous (two shared cores, ASan); the times measured are printed.
#include <doctest/doctest.h>

#include <csignal>
#include <chrono>
#include <fstream>
#include <iostream>

#include "tests/integration/broker_cluster_fixture.h"
#include "tests/integration/test_util.h"

namespace strata::it {

using protocol::ErrorCode;
using Clock = std::chrono::steady_clock;

namespace {

int controller_of(ThreeBrokers& c) {
  for (int id = 1; id <= 3; ++id) {
    if (c.broker(id).running() && c.broker(id).wait_for_log("this broker is the controller", 0ms)) return id;
  }
  return -1;
}

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  return s;
}

}  // namespace

TEST_CASE("kill -9 of the controller's broker: another is elected and creates topics") {
  if (!etcd_installed()) return;
  ThreeBrokers c;
  int controller = -1;
  REQUIRE(eventually([&] { return (controller = controller_of(c)) > 0; }, 10s));
  c.kill9(controller);
  const auto killed = Clock::now();
  int next = -1;
  const bool elected = eventually([&] {
    for (int id = 1; id <= 3; ++id) {
      if (id != controller && c.broker(id).wait_for_log("this broker is the controller", 0ms)) next = id;
    }
    return next > 0;
  }, 20s);
  REQUIRE(elected);
  std::cout << "controller failover: " << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed).count()
            << " ms (lease TTL 2 s)\n";
  auto w = c.client(next);
  CHECK(eventually([&] { return w->create_topic("after", 4).error == ErrorCode::none; }, 20s));
  // The dead broker gets no partitions of the new topic.
  const auto leaders = leaders_by_produce(c, "after", 4);
  for (int l : leaders) CHECK((l > 0 && l != controller));
}

TEST_CASE("etcd stopped: produce and fetch go on, admin calls fail CLUSTER_UNAVAILABLE, and all recovers") {
  if (!etcd_installed()) return;
  ThreeBrokers c;
  REQUIRE(create_everywhere(c, 1, "t", 3));
  const auto leaders = leaders_by_produce(c, "t", 3);
  c.etcd.kill9();
  // Longer than the lease TTL: the data path does not wait on etcd.
  std::this_thread::sleep_for(3s);
  for (std::uint32_t p = 0; p < 3; ++p) {
    REQUIRE(leaders[p] > 0);
    auto l = c.client(leaders[p]);
    CHECK(l->produce("t", p, make_batch(make_records("during", 0, 2, now_ms()))).error == ErrorCode::none);
    CHECK(l->fetch_one("t", p, 0).error == ErrorCode::none);
  }
  const auto refused = c.client(2)->create_topic("nope", 1);
  CHECK(refused.error == ErrorCode::cluster_unavailable);
  CHECK_MESSAGE(refused.message.find("etcd") != std::string::npos, refused.message);
  c.etcd.restart();
  auto w = c.client(2);
  CHECK(eventually([&] { return w->create_topic("later", 3).error == ErrorCode::none; }, 30s));
  const auto after = leaders_by_produce(c, "later", 3);
  for (int l : after) CHECK(l > 0);
}

TEST_CASE("a topic deleted and re-created while a broker was down: its old copy is deleted, never served") {
  if (!etcd_installed()) return;
  ThreeBrokers c;
  REQUIRE(create_everywhere(c, 1, "s", 3));
  const auto leaders = leaders_by_produce(c, "s", 3);
  const int victim = leaders[0];
  REQUIRE(victim > 0);
  REQUIRE(c.client(victim)->produce("s", 0, make_batch(make_records("old", 0, 5, now_ms()))).error == ErrorCode::none);
  const std::string old_id = read_all(c.data_dir(victim) / "s" / "topic.id");
  REQUIRE(old_id.size() == 22);
  c.kill9(victim);
  const int other = victim % 3 + 1;
  auto w = c.client(other);
  REQUIRE(w->delete_topic("s").error == ErrorCode::none);
  REQUIRE(eventually([&] { return w->create_topic("s", 3).error == ErrorCode::none; }, 20s));
  c.restart(victim);
  CHECK(c.broker(victim).wait_for_log("deleted and re-created while this broker was away", 20s));
  auto back = c.client(victim);
  CHECK(eventually([&] { return read_all(c.data_dir(victim) / "s" / "topic.id") != old_id; }, 20s));
  // No broker serves a record of the old topic.
  for (int id = 1; id <= 3; ++id) {
    auto r = c.client(id);
    for (std::uint32_t p = 0; p < 3; ++p) {
      const auto f = r->fetch_one("s", p, 0);
      if (f.error != ErrorCode::none) continue;
      for (const auto& rec : decode_batches(f.records).records) CHECK(rec.rec.key.rfind("old", 0) != 0);
    }
  }
}

}  // namespace strata::it

namespace strata::it {

TEST_CASE("a broker paused past its lease: its partitions are LEADER_NOT_AVAILABLE, and after SIGCONT it registers "
          "again and serves them with their data") {
  if (!etcd_installed()) return;
  ThreeBrokers c;
  const int victim = spread_with_records(c, "t", 4)[0];
  c.broker(victim).signal(SIGSTOP);
  const int survivor = victim % 3 + 1;
  auto s = c.client(survivor);
  // Its lease (TTL 2 s) expires while it cannot renew it.
  const bool gone = eventually([&] {
    return s->produce("t", 0, make_batch(make_records("x", 0, 1, now_ms()))).error == ErrorCode::leader_not_available;
  }, 20s);
  c.broker(victim).signal(SIGCONT);
  REQUIRE(gone);
  REQUIRE(c.broker(victim).wait_for_log("registering again", 20s));
  // The others see it again and route its partition to it.
  const bool back = eventually([&] {
    const auto r = s->produce("t", 0, make_batch(make_records("x", 0, 1, now_ms())));
    return r.error == ErrorCode::not_leader && r.message.find("broker " + std::to_string(victim)) != std::string::npos;
  }, 20s);
  CHECK(back);
  auto v = c.client(victim);
  const auto got = v->fetch_one("t", 0, 0);
  REQUIRE(got.error == ErrorCode::none);
  CHECK(decode_batches(got.records).records.size() == 5);  // the probe and the four kept
  CHECK(v->produce("t", 0, make_batch(make_records("after", 0, 1, now_ms()))).error == ErrorCode::none);
}

}  // namespace strata::it
