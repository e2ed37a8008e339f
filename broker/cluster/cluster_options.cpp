#include "broker/cluster/cluster_options.h"

#include <limits>

namespace strata::cluster {

Result<CheckedClusterOptions> check_cluster_options(const ClusterOptions& options, std::string& refusal) {
  const auto invalid = make_error_code(std::errc::invalid_argument);
  CheckedClusterOptions out;
  if (options.node_id < 0 || options.node_id > std::numeric_limits<std::int32_t>::max()) {
    refusal = options.node_id == -1
                  ? "cluster mode (etcd.endpoints / --etcd-endpoints) needs node.id (--node-id): an integer from 0 "
                    "to 2147483647, different on every broker"
                  : "node.id (--node-id) " + std::to_string(options.node_id) +
                        " is not an integer from 0 to 2147483647";
    return invalid;
  }
  out.node_id = static_cast<std::int32_t>(options.node_id);
  if (!valid_cluster_name(options.cluster_name)) {
    refusal = "cluster.name (--cluster-name) '" + options.cluster_name.substr(0, 100) +
              "' is not 1-64 characters of [A-Za-z0-9._-] (nor '.' or '..')";
    return invalid;
  }
  out.layout = ClusterLayout(options.cluster_name);
  if (options.lease_ttl_s < 1 || options.lease_ttl_s > kMaxLeaseTtlS) {
    refusal = "lease.ttl.s (--lease-ttl-s) " + std::to_string(options.lease_ttl_s) +
              " is not a whole number of seconds from 1 to " + std::to_string(kMaxLeaseTtlS);
    return invalid;
  }
  out.lease_ttl_s = options.lease_ttl_s;
  std::string detail;
  auto endpoints = parse_etcd_endpoints(options.etcd_endpoints, detail);
  if (!endpoints) {
    refusal = "etcd.endpoints (--etcd-endpoints): " + detail;
    return endpoints.error();
  }
  out.endpoints = std::move(endpoints).value();
  return out;
}

}  // namespace strata::cluster
