// Partition states in a real etcd (issue 18's control plane): every change
// a compare-and-swap (a stale revision or a stale controller epoch writes
// nothing), the leader's ISR changes, and the controller electing leaders
// as brokers' registrations go and come back.
#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/partition_controller.h"
#include "broker/cluster/partition_state_writes.h"
#include "broker/cluster/topic_admin.h"
#include "tests/integration/etcd_test_util.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using namespace cluster;

const ClusterLayout kLayout("pl");

// etcd with a controller key (broker 1's), `brokers` registered brokers
// and helpers to read and write partition states.
struct Cluster {
  Cluster(EtcdFixture& f, std::int32_t brokers) : fx(f) {
    auto r = fx.run(fx.client->put({kLayout.controller_key(), encode(ControllerRecord{1}), 0}));
    REQUIRE(r);
    epoch = r.value();
    for (std::int32_t id = 1; id <= brokers; ++id) join(id);
  }
  void join(std::int32_t id) {
    view.brokers[id] = {id, random_uuid(), {{"strata", "127.0.0.1", static_cast<std::uint16_t>(9000 + id)}}};
    REQUIRE(fx.run(fx.client->put({kLayout.broker_key(id), encode(view.brokers[id]), 0})));
  }
  void leave(std::int32_t id) {
    view.brokers.erase(id);
    REQUIRE(fx.run(fx.client->del({kLayout.broker_key(id), false})));
  }
  TopicRecord create(const std::string& name, std::int32_t partitions, std::int32_t rf,
                     std::map<std::string, std::string> configs = {}) {
    NewTopic t{name, partitions, rf, std::move(configs)};
    auto r = fx.run(create_topic(*fx.client, kLayout, epoch, t, view));
    REQUIRE(r);
    view.topics[name] = r.value();
    return r.value();
  }
  VersionedPartitionState state(const std::string& topic, std::int32_t p) {
    auto r = fx.run(fx.client->range({kLayout.partition_key(topic, p), false, 0, 0}));
    REQUIRE(r);
    REQUIRE(r.value().kvs.size() == 1);
    std::string why;
    return {decode_partition_state(r.value().kvs[0].value, why).value(), r.value().kvs[0].mod_revision};
  }

  EtcdFixture& fx;
  std::int64_t epoch = 0;
  ClusterMetadata view;
};

// A metadata view feeding a partition controller, both on the fixture's thread.
struct RunningController {
  RunningController(EtcdFixture& f, std::int64_t epoch) : fx(f) {
    controller = fx.run([&]() -> boost::asio::awaitable<std::shared_ptr<PartitionController>> {
      PartitionControllerOptions o;
      o.layout = kLayout;
      o.log = [this](const std::string& line) { log.add(line); };
      o.retry = 100ms;
      co_return PartitionController::start(*fx.client, std::move(o));
    }());
    auto v = fx.run([&]() -> boost::asio::awaitable<Result<std::shared_ptr<MetadataView>>> {
      MetadataViewOptions o;
      o.layout = kLayout;
      o.on_change = [c = controller](const MetadataSnapshot& m) { c->on_metadata(m); };
      co_return co_await MetadataView::start(*fx.client, std::move(o));
    }());
    REQUIRE(v);
    view = v.value();
    fx.run([&]() -> boost::asio::awaitable<int> {
      controller->set_epoch(epoch);
      co_return 0;
    }());
  }
  ~RunningController() {
    fx.run([this]() -> boost::asio::awaitable<int> {
      controller->stop();
      view->stop();
      co_return 0;
    }());
  }
  // The state the view has (the controller's own input).
  PartitionState seen(const std::string& topic, std::int32_t p) const {
    const auto m = view->current();
    const auto t = m->partitions.find(topic);
    if (t == m->partitions.end() || t->second.count(p) == 0) return {-2, -2, {}, -2};
    return t->second.at(p).state;
  }

  EtcdFixture& fx;
  LogSink log;
  std::shared_ptr<PartitionController> controller;
  std::shared_ptr<MetadataView> view;
};

}  // namespace

TEST_CASE("partition state: a write with a stale revision or a stale controller epoch changes nothing") {
  EtcdFixture fx;
  Cluster c(fx, 3);
  const TopicRecord t = c.create("cas", 1, 3);
  const VersionedPartitionState first = c.state("cas", 0);
  CHECK(first.state == PartitionState{t.replicas[0][0], 0, t.replicas[0], c.epoch});

  PartitionState next = first.state;
  next.leader = t.replicas[0][1];
  next.leader_epoch = 1;
  auto ok = fx.run(write_partition_state(*fx.client, kLayout, c.epoch, "cas", 0, first.mod_revision, next));
  REQUIRE(ok);
  CHECK(c.state("cas", 0) == ok.value());

  // The same write again: its expected revision is stale now.
  next.leader_epoch = 2;
  CHECK(fx.run(write_partition_state(*fx.client, kLayout, c.epoch, "cas", 0, first.mod_revision, next)).error() ==
        make_error_code(ClusterErrc::state_changed));
  CHECK(c.state("cas", 0) == ok.value());

  // A partition that does not exist (its topic deleted) is not created by a write.
  CHECK(fx.run(write_partition_state(*fx.client, kLayout, c.epoch, "cas", 7, 0, next)).error() ==
        make_error_code(ClusterErrc::state_changed));
  CHECK(fx.run(fx.client->range({kLayout.partition_key("cas", 7), false, 0, 0})).value().kvs.empty());

  // A new controller is elected: the old one's write, with the current
  // revision, is refused too.
  REQUIRE(fx.run(fx.client->del({kLayout.controller_key(), false})));
  REQUIRE(fx.run(fx.client->put({kLayout.controller_key(), encode(ControllerRecord{2}), 0})));
  CHECK(fx.run(write_partition_state(*fx.client, kLayout, c.epoch, "cas", 0, ok.value().mod_revision, next))
            .error() == make_error_code(ClusterErrc::not_controller));
  CHECK(c.state("cas", 0) == ok.value());
}

TEST_CASE("partition state: the leader shrinks and grows its ISR by compare-and-swap, fenced by its epoch") {
  EtcdFixture fx;
  Cluster c(fx, 3);
  const TopicRecord t = c.create("isr", 1, 3);
  const auto& replicas = t.replicas[0];
  const std::int32_t leader = replicas[0];
  const VersionedPartitionState s0 = c.state("isr", 0);

  const std::vector<std::int32_t> shrunk{leader, replicas[1]};
  auto s1 = fx.run(change_isr(*fx.client, kLayout, "isr", 0, s0, leader, 0, shrunk, replicas));
  REQUIRE(s1);
  CHECK(c.state("isr", 0).state.isr == shrunk);
  CHECK(c.state("isr", 0).state.controller_epoch == c.epoch);  // the leader's write keeps it

  // The state it read is stale now: refused, nothing written.
  CHECK(fx.run(change_isr(*fx.client, kLayout, "isr", 0, s0, leader, 0, replicas, replicas)).error() ==
        make_error_code(ClusterErrc::state_changed));
  CHECK(c.state("isr", 0) == s1.value());
  // Not the leader, or not at that epoch.
  CHECK(fx.run(change_isr(*fx.client, kLayout, "isr", 0, s1.value(), replicas[1], 0, shrunk, replicas)).error() ==
        make_error_code(ClusterErrc::not_partition_leader));
  CHECK(fx.run(change_isr(*fx.client, kLayout, "isr", 0, s1.value(), leader, 1, shrunk, replicas)).error() ==
        make_error_code(ClusterErrc::not_partition_leader));
  // Never empty, never without the leader, never a non-replica.
  for (const std::vector<std::int32_t>& bad :
       {std::vector<std::int32_t>{}, std::vector<std::int32_t>{replicas[1]}, std::vector<std::int32_t>{leader, 99},
        std::vector<std::int32_t>{leader, leader}}) {
    CHECK(fx.run(change_isr(*fx.client, kLayout, "isr", 0, s1.value(), leader, 0, bad, replicas)).error() ==
          make_error_code(ClusterErrc::invalid_isr));
  }
  // Grown back.
  auto s2 = fx.run(change_isr(*fx.client, kLayout, "isr", 0, s1.value(), leader, 0, replicas, replicas));
  REQUIRE(s2);
  CHECK(c.state("isr", 0).state.isr == replicas);
}

TEST_CASE("controller: a gone leader is replaced from the live ISR, none alive leaves it -1, the preferred leader "
          "returns") {
  EtcdFixture fx;
  Cluster c(fx, 3);
  const TopicRecord t = c.create("ha", 3, 3);
  RunningController rc(fx, c.epoch);
  // Every partition led by its first replica; nothing to change.
  for (std::int32_t p = 0; p < 3; ++p) CHECK(rc.seen("ha", p).leader == t.replicas[static_cast<std::size_t>(p)][0]);

  // Broker 1's registration goes: the partition it led gets the next live
  // ISR member in replica order, at the next leader epoch; the others stay.
  std::int32_t led_by_1 = -1;
  for (std::int32_t p = 0; p < 3; ++p) {
    if (t.replicas[static_cast<std::size_t>(p)][0] == 1) led_by_1 = p;
  }
  REQUIRE(led_by_1 >= 0);
  const auto& r = t.replicas[static_cast<std::size_t>(led_by_1)];
  c.leave(1);
  REQUIRE(eventually([&] { return rc.seen("ha", led_by_1).leader == r[1]; }, 10s));
  const VersionedPartitionState failed_over = c.state("ha", led_by_1);
  CHECK(failed_over.state.leader_epoch == 1);
  CHECK(failed_over.state.isr == std::vector<std::int32_t>{r[1], r[2]});
  CHECK(failed_over.state.controller_epoch == c.epoch);
  CHECK(rc.log.contains("partition ha/" + std::to_string(led_by_1) + ": leader 1 -> " + std::to_string(r[1])));
  for (std::int32_t p = 0; p < 3; ++p) {
    if (p != led_by_1) CHECK(c.state("ha", p).state.leader_epoch == 0);
  }

  // Broker 1 back: not in the ISR yet, so no leader change.
  c.join(1);
  const auto changes = rc.controller->changes_written();
  std::this_thread::sleep_for(300ms);
  CHECK(rc.controller->changes_written() == changes);
  CHECK(c.state("ha", led_by_1).state.leader == r[1]);
  // The leader adds it back to the ISR (caught up): leadership returns to it.
  auto grown = fx.run(change_isr(*fx.client, kLayout, "ha", led_by_1, c.state("ha", led_by_1), r[1], 1,
                                 {r[1], r[2], 1}, r));
  REQUIRE(grown);
  REQUIRE(eventually([&] { return rc.seen("ha", led_by_1).leader == 1; }, 10s));
  CHECK(c.state("ha", led_by_1).state.leader_epoch == 2);

  // Every ISR member of a partition gone: leader -1, the ISR kept. One
  // partition's ISR shrinks to its leader (2 or 3), then 2 and 3 go; the
  // third partition, with broker 1 still in its ISR, fails over to 1.
  const std::int32_t lone = led_by_1 == 0 ? 1 : 0;
  const std::int32_t third = 3 - led_by_1 - lone;
  const std::int32_t lone_leader = t.replicas[static_cast<std::size_t>(lone)][0];
  REQUIRE(fx.run(change_isr(*fx.client, kLayout, "ha", lone, c.state("ha", lone), lone_leader, 0, {lone_leader},
                            t.replicas[static_cast<std::size_t>(lone)])));
  c.leave(2);
  c.leave(3);
  REQUIRE(eventually([&] { return rc.seen("ha", lone).leader == -1 && rc.seen("ha", third).leader == 1; }, 10s));
  CHECK(c.state("ha", lone).state == PartitionState{-1, 1, {lone_leader}, c.epoch});
  CHECK(c.state("ha", third).state == PartitionState{1, 1, {1}, c.epoch});
  CHECK(rc.log.contains("no in-sync replica is alive"));
  CHECK(c.state("ha", led_by_1).state.leader == 1);
}

TEST_CASE("controller: replication factor 1: the broker's registration going takes its partitions offline, its "
          "return brings them back") {
  EtcdFixture fx;
  Cluster c(fx, 2);
  c.create("one", 2, 1);
  RunningController rc(fx, c.epoch);
  const std::int32_t p = c.state("one", 0).state.leader == 2 ? 0 : 1;  // the one broker 2 leads
  c.leave(2);
  REQUIRE(eventually([&] { return rc.seen("one", p).leader == -1; }, 10s));
  CHECK(c.state("one", p).state == PartitionState{-1, 1, {2}, c.epoch});
  c.join(2);
  REQUIRE(eventually([&] { return rc.seen("one", p).leader == 2; }, 10s));
  CHECK(c.state("one", p).state == PartitionState{2, 2, {2}, c.epoch});
  CHECK(c.state("one", 1 - p).state.leader_epoch == 0);
}

TEST_CASE("controller: a leader that registers again with a new incarnation (a restart it never saw) counts as "
          "failed") {
  EtcdFixture fx;
  Cluster c(fx, 2);
  const TopicRecord t = c.create("bounce", 1, 2);
  const std::int32_t leader = t.replicas[0][0];
  const std::int32_t follower = t.replicas[0][1];
  RunningController rc(fx, c.epoch);
  REQUIRE(eventually([&] { return rc.controller->passes() > 0; }, 5s));  // it has seen the first incarnations
  c.join(leader);  // a new incarnation, with no gap in between
  REQUIRE(eventually([&] { return rc.seen("bounce", 0).leader == follower; }, 10s));
  CHECK(c.state("bounce", 0).state == PartitionState{follower, 1, {follower}, c.epoch});
  // Handled once: the next passes leave it (the bounced broker is out of the ISR).
  c.join(3);
  REQUIRE(eventually([&] { return rc.view->current()->brokers.count(3) == 1; }, 5s));
  std::this_thread::sleep_for(300ms);
  CHECK(rc.controller->changes_written() == 1);
}

TEST_CASE("controller: unclean election only for a topic that allows it") {
  EtcdFixture fx;
  Cluster c(fx, 2);
  const TopicRecord clean = c.create("clean", 1, 2);
  c.view.topics.clear();  // placed as if alone: the same replicas, the same leader
  const TopicRecord dirty = c.create("dirty", 1, 2, {{std::string(kUncleanElectionKey), "true"}});
  RunningController rc(fx, c.epoch);
  // Each ISR shrinks to its leader, then the leader's broker goes.
  for (const auto& [name, t] : {std::pair{"clean", clean}, std::pair{"dirty", dirty}}) {
    const std::int32_t leader = t.replicas[0][0];
    REQUIRE(fx.run(change_isr(*fx.client, kLayout, name, 0, c.state(name, 0), leader, 0, {leader}, t.replicas[0])));
  }
  REQUIRE(clean.replicas == dirty.replicas);
  const std::int32_t gone = clean.replicas[0][0];
  const std::int32_t other = clean.replicas[0][1];
  c.leave(gone);
  REQUIRE(eventually([&] { return rc.seen("clean", 0).leader == -1 && rc.seen("dirty", 0).leader == other; }, 10s));
  CHECK(c.state("clean", 0).state.isr == std::vector<std::int32_t>{gone});
  CHECK(c.state("dirty", 0).state.isr == std::vector<std::int32_t>{other});
  CHECK(rc.log.contains("UNCLEAN election"));
}

TEST_CASE("controller: a deposed controller changes no partition") {
  EtcdFixture fx;
  Cluster c(fx, 2);
  c.create("fenced", 2, 1);
  RunningController rc(fx, c.epoch);
  REQUIRE(fx.run(fx.client->del({kLayout.controller_key(), false})));
  REQUIRE(fx.run(fx.client->put({kLayout.controller_key(), encode(ControllerRecord{2}), 0})));
  c.leave(1);
  c.leave(2);
  std::this_thread::sleep_for(500ms);
  CHECK(rc.controller->changes_written() == 0);
  for (std::int32_t p = 0; p < 2; ++p) CHECK(c.state("fenced", p).state.leader_epoch == 0);
}

}  // namespace strata::it
