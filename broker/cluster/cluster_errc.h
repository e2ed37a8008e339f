// Errors of cluster mode (DESIGN decisions 13, 14): the etcd client, the
// cluster's values in etcd, membership and the controller. Each says what
// happened and what to do; the operator-facing detail (which endpoint,
// which broker) goes in the log line or the error text next to it.
#pragma once

#include <system_error>

namespace strata::cluster {

enum class ClusterErrc {
  bad_endpoint = 1,        // an etcd endpoint is not http://HOST:PORT
  etcd_unreachable,        // no endpoint answered (refused, reset, timed out)
  etcd_timeout,            // a request was sent but not answered in time
  etcd_error,              // etcd answered with an error (its message is logged)
  bad_response,            // etcd's answer is not the JSON expected
  response_too_large,      // an answer above the client's size bound
  compacted,               // a watch asked for revisions etcd has compacted away
  lease_not_found,         // the lease expired or was revoked
  bad_value,               // a cluster value in etcd fails validation
  duplicate_broker_id,     // another live broker is registered with this node id
  not_controller,          // a controller write lost: another controller was elected
  shut_down,               // the cluster thread stopped before the call finished
  not_enough_brokers,      // fewer live brokers than the replicas asked for
  topic_exists,            // topics/<t> is already in etcd
  unknown_topic,           // topics/<t> is not in etcd
  foreign_data_dir,        // the data directory belongs to another node or cluster
  state_changed,           // a partition state's compare-and-swap lost: it changed since read
  not_partition_leader,    // an ISR change from a broker not leading the partition at that epoch
  invalid_isr,             // an ISR change without the leader, repeating or naming a non-replica
};

[[nodiscard]] const std::error_category& cluster_category() noexcept;

[[nodiscard]] inline std::error_code make_error_code(ClusterErrc e) noexcept {
  return {static_cast<int>(e), cluster_category()};
}

// Errors after which the same call may succeed later (etcd back, a new
// leader elected): a caller maps these to a retriable wire error.
[[nodiscard]] bool is_retriable(std::error_code ec) noexcept;

}  // namespace strata::cluster

template <>
struct std::is_error_code_enum<strata::cluster::ClusterErrc> : std::true_type {};
