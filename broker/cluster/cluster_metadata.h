// What etcd holds about the cluster, as one value every broker keeps
// current (metadata_view.h) and serves Metadata from: brokers, the
// controller, topics and partition states (DESIGN decision 14). apply()
// folds one etcd key's change into it; no Asio here.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "broker/cluster/cluster_layout.h"
#include "broker/cluster/cluster_values.h"
#include "broker/cluster/etcd_types.h"

namespace strata::cluster {

// A partition's state with the mod revision a compare-and-swap compares.
struct VersionedPartitionState {
  PartitionState state;
  std::int64_t mod_revision = 0;
  bool operator==(const VersionedPartitionState&) const = default;
};

struct ClusterMetadata {
  std::int64_t revision = 0;  // the etcd revision this view reflects
  std::map<std::int32_t, BrokerRegistration> brokers;  // live brokers, by node id
  ControllerInfo controller;
  std::map<std::string, TopicRecord> topics;
  std::map<std::string, std::map<std::int32_t, VersionedPartitionState>> partitions;  // topic -> partition -> state
};

// What a controller key says; broker_id -1 if its value is unreadable (the
// key still holds the epoch: nobody else is elected until it goes).
[[nodiscard]] ControllerInfo controller_info_of(const etcd::KeyValue& kv, std::string* why = nullptr);

// Folds a put (deleted == false) or delete of `kv` into `m`. A key outside
// the layout is ignored; a value that fails to decode removes the entry and
// is reported through `complain` (key and why).
void apply(ClusterMetadata& m, const ClusterLayout& layout, const etcd::KeyValue& kv, bool deleted,
           const std::function<void(const std::string&)>& complain);

}  // namespace strata::cluster
