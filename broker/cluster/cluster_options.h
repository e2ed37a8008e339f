// Cluster mode's options (issue 17), checked in one place so the broker's
// configuration only maps keys and flags onto them:
//
//   node.id         --node-id          required in cluster mode; 0..2147483647, unique per broker
//   etcd.endpoints  --etcd-endpoints   http://HOST:PORT[,...]; setting it turns cluster mode on
//   cluster.name    --cluster-name     default "strata": the etcd key prefix
//   lease.ttl.s     --lease-ttl-s      whole seconds, as etcd counts them; default 3
//
// Why 3 s: keepalives go every TTL / 3, so the lease outlives two lost
// keepalives in a row or a 2-second stall of the broker (two shared cores
// under ASan, a slow etcd fsync) instead of flapping; a shorter TTL only
// makes a dead broker's absence known sooner, and with one replica per
// partition its partitions wait for it to return either way. etcd may
// grant more than asked (its minimum is ceil(1.5 x election timeout): 2 s
// with etcd's default 1 s); the granted TTL is used.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "broker/cluster/cluster_layout.h"
#include "broker/cluster/etcd_endpoints.h"
#include "protocol/base/result.h"

namespace strata::cluster {

inline constexpr std::int64_t kDefaultLeaseTtlS = 3;
inline constexpr std::int64_t kMaxLeaseTtlS = 300;

struct ClusterOptions {
  std::int64_t node_id = -1;   // -1: not given
  std::string etcd_endpoints;  // empty: standalone
  std::string cluster_name = "strata";
  std::int64_t lease_ttl_s = kDefaultLeaseTtlS;

  [[nodiscard]] bool enabled() const noexcept { return !etcd_endpoints.empty(); }
};

struct CheckedClusterOptions {
  std::int32_t node_id = 0;
  std::vector<EtcdEndpoint> endpoints;
  ClusterLayout layout{"strata"};
  std::int64_t lease_ttl_s = kDefaultLeaseTtlS;
};

// REQUIRES: options.enabled(). On failure (bad_endpoint, or
// std::errc::invalid_argument for the others) `refusal` names the option
// (key and flag) and what to give instead.
[[nodiscard]] Result<CheckedClusterOptions> check_cluster_options(const ClusterOptions& options,
                                                                  std::string& refusal);

}  // namespace strata::cluster
