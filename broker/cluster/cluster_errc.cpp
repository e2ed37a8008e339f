#include "broker/cluster/cluster_errc.h"

#include <string>

namespace strata::cluster {
namespace {

class ClusterCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "strata.cluster"; }
  std::string message(int ev) const override {
    switch (static_cast<ClusterErrc>(ev)) {
      case ClusterErrc::bad_endpoint:
        return "bad etcd endpoint: give --etcd-endpoints as http://HOST:PORT[,http://HOST:PORT...]";
      case ClusterErrc::etcd_unreachable:
        return "etcd is unreachable at every endpoint: check that etcd runs and --etcd-endpoints names it";
      case ClusterErrc::etcd_timeout:
        return "etcd did not answer in time: it may be overloaded or without a leader; retry";
      case ClusterErrc::etcd_error: return "etcd refused the request (the log line says why)";
      case ClusterErrc::bad_response:
        return "etcd's answer is not what its v3 JSON gateway sends: is the endpoint an etcd 3.4 or later?";
      case ClusterErrc::response_too_large: return "etcd's answer is larger than the client's bound";
      case ClusterErrc::compacted: return "the revision asked for was compacted by etcd; re-read and watch again";
      case ClusterErrc::lease_not_found: return "the etcd lease expired or was revoked";
      case ClusterErrc::bad_value:
        return "a value in etcd under the cluster's prefix is malformed (was it written by hand?)";
      case ClusterErrc::duplicate_broker_id:
        return "another live broker is registered with this node id: give each broker its own --node-id";
      case ClusterErrc::not_controller: return "this broker is no longer the controller; retry on the new one";
      case ClusterErrc::shut_down: return "the cluster client was shut down";
      case ClusterErrc::not_enough_brokers:
        return "fewer live brokers than replicas asked for: start more brokers or ask for fewer replicas";
      case ClusterErrc::topic_exists: return "the topic already exists in the cluster";
      case ClusterErrc::unknown_topic: return "the cluster has no such topic";
      case ClusterErrc::foreign_data_dir:
        return "the data directory belongs to another node or cluster (the line before names both)";
      case ClusterErrc::state_changed:
        return "the partition's state in etcd changed since it was read (a new leader or ISR): re-read it and "
               "decide again";
      case ClusterErrc::not_partition_leader:
        return "this broker does not lead the partition at the leader epoch given: its ISR change is refused";
      case ClusterErrc::invalid_isr:
        return "an ISR must hold the leader and only the partition's replicas, each once";
    }
    return "unknown cluster error";
  }
};

}  // namespace

const std::error_category& cluster_category() noexcept {
  static const ClusterCategory category;
  return category;
}

bool is_retriable(std::error_code ec) noexcept {
  if (ec.category() != cluster_category()) return false;
  switch (static_cast<ClusterErrc>(ec.value())) {
    case ClusterErrc::etcd_unreachable:
    case ClusterErrc::etcd_timeout:
    case ClusterErrc::compacted:
    case ClusterErrc::not_controller:
    case ClusterErrc::not_enough_brokers:
    case ClusterErrc::state_changed: return true;
    default: return false;
  }
}

}  // namespace strata::cluster
