#include <doctest/doctest.h>

#include "broker/cluster/cluster_metadata.h"

namespace strata::cluster {

namespace {

struct Folder {
  ClusterLayout layout{"c"};
  ClusterMetadata m;
  std::vector<std::string> complaints;
  void put(const std::string& key, const std::string& value, std::int64_t rev, std::int64_t create_rev = 0) {
    apply(m, layout, {key, value, create_rev == 0 ? rev : create_rev, rev, 1, 0}, false,
          [this](const std::string& c) { complaints.push_back(c); });
  }
  void del(const std::string& key, std::int64_t rev) {
    apply(m, layout, {key, "", 0, rev, 0, 0}, true, [this](const std::string& c) { complaints.push_back(c); });
  }
};

}  // namespace

TEST_CASE("cluster metadata: puts and deletes of brokers, controller, topics and partitions") {
  Folder f;
  const BrokerRegistration b1{1, random_uuid(), {{"strata", "h1", 1}}};
  const TopicRecord t{random_uuid(), 2, {{1}, {1}}, {}};
  const PartitionState p0{1, 0, {1}, 9};
  f.put(f.layout.broker_key(1), encode(b1), 5);
  f.put(f.layout.controller_key(), encode(ControllerRecord{1}), 6);
  f.put(f.layout.topic_key("t"), encode(t), 7);
  f.put(f.layout.partition_key("t", 0), encode(p0), 8);
  f.put("/other/brokers/1", "whatever", 9);  // another cluster: ignored
  CHECK(f.m.brokers.at(1) == b1);
  CHECK(f.m.controller == ControllerInfo{1, 6});
  CHECK(f.m.topics.at("t") == t);
  CHECK(f.m.partitions.at("t").at(0) == VersionedPartitionState{p0, 8});
  CHECK(f.m.revision == 9);
  CHECK(f.complaints.empty());

  f.del(f.layout.partition_key("t", 0), 10);
  CHECK(f.m.partitions.count("t") == 0);  // no empty map left behind
  f.del(f.layout.topic_key("t"), 11);
  f.del(f.layout.controller_key(), 12);
  f.del(f.layout.broker_key(1), 13);
  CHECK(f.m.brokers.empty());
  CHECK(f.m.topics.empty());
  CHECK(f.m.controller == ControllerInfo{});
  CHECK(f.m.revision == 13);
}

TEST_CASE("cluster metadata: a bad value removes the entry and is complained about, naming the key") {
  Folder f;
  const BrokerRegistration b2{2, random_uuid(), {{"strata", "h2", 2}}};
  f.put(f.layout.broker_key(2), encode(b2), 3);
  f.put(f.layout.broker_key(2), "{not json", 4);
  CHECK(f.m.brokers.empty());
  REQUIRE(f.complaints.size() == 1);
  CHECK(f.complaints[0] == "ignoring etcd key /c/brokers/2: not JSON");
  // A registration under another broker's key.
  f.put(f.layout.broker_key(3), encode(b2), 5);
  CHECK(f.m.brokers.empty());
  CHECK(f.complaints.back().find("is not the key's") != std::string::npos);
  // An unreadable controller still holds its epoch.
  f.put(f.layout.controller_key(), "[]", 6);
  CHECK(f.m.controller == ControllerInfo{-1, 6});
  f.put(f.layout.partition_key("t", 1), R"({"leader":1})", 7);
  CHECK(f.m.partitions.empty());
  CHECK(f.complaints.size() == 4);
}

}  // namespace strata::cluster
