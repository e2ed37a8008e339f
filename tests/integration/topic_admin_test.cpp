// The controller's topic writes against a real etcd: create (balanced,
// chunked, only once), delete, finishing missing partition states, and the
// epoch fence.
#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/controller_election.h"
#include "broker/cluster/partition_assignment.h"
#include "broker/cluster/topic_admin.h"
#include "tests/integration/etcd_test_util.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using namespace cluster;
using Clock = std::chrono::steady_clock;

const ClusterLayout kLayout("ta");

// Broker 1 is the controller (its key written directly); `view` lists
// `brokers` live brokers.
struct Controller {
  Controller(EtcdFixture& f, std::int32_t brokers) : fx(f) {
    auto r = fx.run(fx.client->put({kLayout.controller_key(), encode(ControllerRecord{1}), 0}));
    REQUIRE(r);
    epoch = r.value();
    for (std::int32_t id = 1; id <= brokers; ++id) {
      view.brokers[id] = {id, random_uuid(), {{"strata", "127.0.0.1", static_cast<std::uint16_t>(9000 + id)}}};
    }
  }
  Result<TopicRecord> create(const std::string& name, std::int32_t partitions, std::int32_t rf = 1,
                             std::int64_t with_epoch = 0) {
    NewTopic t{name, partitions, rf, {{"retention.ms", "1000"}}};
    auto r = fx.run(create_topic(*fx.client, kLayout, with_epoch == 0 ? epoch : with_epoch, t, view));
    if (r) view.topics[name] = r.value();
    return r;
  }
  std::map<std::int32_t, PartitionState> states(const std::string& topic) {
    auto r = fx.run(fx.client->range({kLayout.partitions_prefix(topic), true, 0, 0}));
    REQUIRE(r);
    std::map<std::int32_t, PartitionState> out;
    for (const auto& kv : r.value().kvs) {
      std::string why;
      out[kLayout.parse(kv.key).partition] = decode_partition_state(kv.value, why).value();
    }
    return out;
  }

  EtcdFixture& fx;
  std::int64_t epoch = 0;
  ClusterMetadata view;
};

}  // namespace

TEST_CASE("topic admin: a topic is created once, balanced, with a state per partition led by its first replica") {
  EtcdFixture fx;
  Controller c(fx, 3);
  const auto t = c.create("orders", 6);
  REQUIRE(t);
  CHECK(t.value().partitions == 6);
  CHECK(t.value().replicas == std::vector<std::vector<std::int32_t>>{{1}, {2}, {3}, {1}, {2}, {3}});
  CHECK(t.value().configs.at("retention.ms") == "1000");
  const auto stored = fx.run(fx.client->range({kLayout.topic_key("orders"), false, 0, 0}));
  std::string why;
  CHECK(decode_topic_record(stored.value().kvs.at(0).value, why).value() == t.value());
  const auto states = c.states("orders");
  REQUIRE(states.size() == 6);
  for (const auto& [p, s] : states) {
    CHECK(s == PartitionState{t.value().replicas[static_cast<std::size_t>(p)][0], 0,
                              t.value().replicas[static_cast<std::size_t>(p)], c.epoch});
  }
  CHECK(c.create("orders", 2).error() == make_error_code(ClusterErrc::topic_exists));
  // The next topic evens out against the first: 2 each, then 1, 2, 3 again.
  CHECK(c.create("more", 3).value().replicas == std::vector<std::vector<std::int32_t>>{{1}, {2}, {3}});
  CHECK(c.create("rf3", 1, 4).error() == make_error_code(ClusterErrc::not_enough_brokers));
}

TEST_CASE("topic admin: partition states beyond etcd's 128 operations per txn are written in chunks") {
  EtcdFixture fx;
  Controller c(fx, 2);
  REQUIRE(c.create("wide", 250));
  CHECK(c.states("wide").size() == 250);
}

TEST_CASE("topic admin: a stale controller epoch writes nothing") {
  EtcdFixture fx;
  Controller c(fx, 1);
  const std::int64_t stale = c.epoch;
  REQUIRE(fx.run(fx.client->del({kLayout.controller_key(), false})));
  REQUIRE(fx.run(fx.client->put({kLayout.controller_key(), encode(ControllerRecord{2}), 0})));
  CHECK(c.create("t", 1, 1, stale).error() == make_error_code(ClusterErrc::not_controller));
  CHECK(fx.run(fx.client->range({kLayout.prefix() + "t", true, 0, 0})).value().kvs.empty());
  CHECK(fx.run(delete_topic(*fx.client, kLayout, stale, "t")) == make_error_code(ClusterErrc::not_controller));
}

TEST_CASE("topic admin: missing partition states are finished, existing ones left as they are") {
  EtcdFixture fx;
  Controller c(fx, 2);
  const auto t = c.create("half", 4);
  REQUIRE(t);
  // As if the controller died after the topic record and two states.
  REQUIRE(fx.run(fx.client->del({kLayout.partition_key("half", 1), false})));
  REQUIRE(fx.run(fx.client->del({kLayout.partition_key("half", 3), false})));
  const auto kept = fx.run(fx.client->range({kLayout.partition_key("half", 0), false, 0, 0})).value().kvs.at(0);
  ClusterMetadata stale_view = c.view;  // believes partition 0 is missing too
  CHECK_FALSE(fx.run(write_missing_partition_states(*fx.client, kLayout, c.epoch, "half", t.value(), stale_view)));
  CHECK(c.states("half").size() == 4);
  const auto after = fx.run(fx.client->range({kLayout.partition_key("half", 0), false, 0, 0})).value().kvs.at(0);
  CHECK(after.mod_revision == kept.mod_revision);
}

TEST_CASE("topic admin: delete removes the topic and every partition state, once") {
  EtcdFixture fx;
  Controller c(fx, 1);
  REQUIRE(c.create("gone", 3));
  REQUIRE(c.create("gone2", 1));  // a name that starts like it is not touched
  CHECK_FALSE(fx.run(delete_topic(*fx.client, kLayout, c.epoch, "gone")));
  CHECK(c.states("gone").empty());
  CHECK(fx.run(fx.client->range({kLayout.topic_key("gone"), false, 0, 0})).value().kvs.empty());
  CHECK(c.states("gone2").size() == 1);
  CHECK(fx.run(delete_topic(*fx.client, kLayout, c.epoch, "gone")) == make_error_code(ClusterErrc::unknown_topic));
}

TEST_CASE("topic admin: 1000 topics created one after another (figure)") {
  EtcdFixture fx;
  Controller c(fx, 3);
  const auto t0 = Clock::now();
  for (int i = 0; i < 1000; ++i) REQUIRE(c.create("t" + std::to_string(i), 1));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  MESSAGE("1000 topics of 1 partition in etcd: " << took.count() << " ms");
  CHECK(took < 120s);
  std::map<std::int32_t, BrokerLoad> load;
  for (const auto& [n, t] : c.view.topics) add_load(load, t.replicas);
  for (const auto& [id, l] : load) CHECK((l.leaders == 333 || l.leaders == 334));
}

}  // namespace strata::it
