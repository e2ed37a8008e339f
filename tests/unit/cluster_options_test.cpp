#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/cluster_options.h"

namespace strata::cluster {

TEST_CASE("cluster options: a good set is checked into endpoints, layout and TTL") {
  std::string refusal;
  const auto c = check_cluster_options({7, "http://127.0.0.1:2379,127.0.0.2:2379", "prod", 5}, refusal);
  REQUIRE(c);
  CHECK(c.value().node_id == 7);
  CHECK(c.value().endpoints.size() == 2);
  CHECK(c.value().layout.prefix() == "/prod/");
  CHECK(c.value().lease_ttl_s == 5);
  CHECK(ClusterOptions{}.lease_ttl_s == kDefaultLeaseTtlS);
  CHECK_FALSE(ClusterOptions{}.enabled());
}

TEST_CASE("cluster options: each bad option is refused naming its key and flag") {
  struct Case {
    ClusterOptions options;
    const char* says;
  };
  const std::string ep = "http://127.0.0.1:2379";
  for (const Case& c : {Case{{-1, ep, "strata", 3}, "needs node.id (--node-id)"},
                        Case{{2147483648, ep, "strata", 3}, "node.id (--node-id) 2147483648"},
                        Case{{1, ep, "a/b", 3}, "cluster.name (--cluster-name) 'a/b'"},
                        Case{{1, ep, "strata", 0}, "lease.ttl.s (--lease-ttl-s) 0"},
                        Case{{1, ep, "strata", 301}, "from 1 to 300"},
                        Case{{1, "http://127.0.0.1", "strata", 3}, "etcd.endpoints (--etcd-endpoints): etcd endpoint"}}) {
    CAPTURE(c.says);
    std::string refusal;
    CHECK_FALSE(check_cluster_options(c.options, refusal));
    CHECK(refusal.find(c.says) != std::string::npos);
  }
}

}  // namespace strata::cluster
