#include <doctest/doctest.h>

#include "broker/cluster/cluster_layout.h"

namespace strata::cluster {

TEST_CASE("cluster layout: keys under /<cluster.name>/ and back") {
  const ClusterLayout l("prod-1");
  CHECK(l.prefix() == "/prod-1/");
  CHECK(l.broker_key(7) == "/prod-1/brokers/7");
  CHECK(l.controller_key() == "/prod-1/controller");
  CHECK(l.cluster_id_key() == "/prod-1/cluster_id");
  CHECK(l.parse(l.cluster_id_key()).kind == ClusterKey::Kind::unknown);  // not part of the metadata view
  CHECK(l.topic_key("orders") == "/prod-1/topics/orders");
  CHECK(l.partition_key("orders", 12) == "/prod-1/partitions/orders/12");
  CHECK(l.partitions_prefix("orders") == "/prod-1/partitions/orders/");

  const auto b = l.parse(l.broker_key(2147483647));
  CHECK(b.kind == ClusterKey::Kind::broker);
  CHECK(b.broker_id == 2147483647);
  CHECK(l.parse(l.controller_key()).kind == ClusterKey::Kind::controller);
  const auto t = l.parse(l.topic_key("a.b_c-d"));
  CHECK(t.kind == ClusterKey::Kind::topic);
  CHECK(t.topic == "a.b_c-d");
  const auto p = l.parse(l.partition_key("orders", 0));
  CHECK(p.kind == ClusterKey::Kind::partition);
  CHECK(p.topic == "orders");
  CHECK(p.partition == 0);
}

TEST_CASE("cluster layout: keys of another shape, cluster or range are unknown") {
  const ClusterLayout l("strata");
  for (const char* key : {"/other/brokers/1", "/strata/brokers/", "/strata/brokers/01", "/strata/brokers/-1",
                          "/strata/brokers/2147483648", "/strata/brokers/1x", "/strata/controllers",
                          "/strata/topics/", "/strata/topics/a/b", "/strata/topics/..", "/strata/partitions/t",
                          "/strata/partitions/t/", "/strata/partitions/t/+1", "/strata/partitions//1",
                          "/strata/partitions/t/1/2", "/strata/zzz", "strata/controller", ""}) {
    CAPTURE(key);
    CHECK(l.parse(key).kind == ClusterKey::Kind::unknown);
  }
}

TEST_CASE("cluster layout: cluster names") {
  CHECK(valid_cluster_name("strata"));
  CHECK(valid_cluster_name(std::string(64, 'a')));
  CHECK_FALSE(valid_cluster_name(std::string(65, 'a')));
  CHECK_FALSE(valid_cluster_name(""));
  CHECK_FALSE(valid_cluster_name("a/b"));
  CHECK_FALSE(valid_cluster_name(".."));
}

}  // namespace strata::cluster
