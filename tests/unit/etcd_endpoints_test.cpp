#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/etcd_endpoints.h"

namespace strata::cluster {

TEST_CASE("etcd endpoints: http URLs, bare HOST:PORT, IPv6 and lists") {
  std::string detail;
  const auto eps = parse_etcd_endpoints("http://127.0.0.1:2379, 10.0.0.2:2381/,http://[::1]:2379,etcd-1:1", detail);
  REQUIRE(eps);
  REQUIRE(eps.value().size() == 4);
  CHECK(eps.value()[0] == EtcdEndpoint{"127.0.0.1", 2379});
  CHECK(eps.value()[1] == EtcdEndpoint{"10.0.0.2", 2381});
  CHECK(eps.value()[2] == EtcdEndpoint{"::1", 2379});
  CHECK(eps.value()[2].text() == "[::1]:2379");
  CHECK(eps.value()[3].host == "etcd-1");
}

TEST_CASE("etcd endpoints: bad entries are bad_endpoint, and the detail names the entry and the fix") {
  const std::error_code bad = make_error_code(ClusterErrc::bad_endpoint);
  struct Case {
    const char* list;
    const char* says;
  };
  for (const Case c : {Case{"", "HOST:PORT"}, Case{"http://127.0.0.1", "HOST:PORT"},
                       Case{"127.0.0.1:0", "1 to 65535"}, Case{"127.0.0.1:99999", "1 to 65535"},
                       Case{"127.0.0.1:23x", "1 to 65535"}, Case{"https://127.0.0.1:2379", "https"},
                       Case{"unix://sock:1", "only http://"}, Case{"::1:2379", "HOST:PORT"},
                       Case{"[::1]", "brackets"}, Case{"a b:1", "host"},
                       Case{"127.0.0.1:2379,", "HOST:PORT"}}) {
    CAPTURE(c.list);
    std::string detail;
    const auto r = parse_etcd_endpoints(c.list, detail);
    REQUIRE_FALSE(r);
    CHECK(r.error() == bad);
    CHECK(detail.find(c.says) != std::string::npos);
    CHECK(detail.find("etcd endpoint '") == 0);
  }
  std::string detail;
  std::string many;
  for (int i = 0; i < 17; ++i) many += (i ? "," : "") + std::string("h:1");
  CHECK_FALSE(parse_etcd_endpoints(many, detail));
  CHECK(detail.find("more than 16") != std::string::npos);
}

}  // namespace strata::cluster
