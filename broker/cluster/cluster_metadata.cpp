#include "broker/cluster/cluster_metadata.h"

namespace strata::cluster {

namespace {

// Decodes into `slot` or erases it; a bad value is complained about.
template <typename Map, typename Key, typename Decode>
void put_or_erase(Map& map, const Key& key, const etcd::KeyValue& kv, bool deleted, Decode decode,
                  const std::function<void(const std::string&)>& complain) {
  if (deleted) {
    map.erase(key);
    return;
  }
  std::string why;
  auto value = decode(kv, why);
  if (!value) {
    map.erase(key);
    if (complain) complain("ignoring etcd key " + kv.key + ": " + why);
    return;
  }
  map.insert_or_assign(key, std::move(value).value());
}

}  // namespace

ControllerInfo controller_info_of(const etcd::KeyValue& kv, std::string* why) {
  std::string reason;
  auto rec = decode_controller_record(kv.value, reason);
  if (!rec && why != nullptr) *why = reason;
  return {rec ? rec.value().broker_id : -1, kv.create_revision};
}

void apply(ClusterMetadata& m, const ClusterLayout& layout, const etcd::KeyValue& kv, bool deleted,
           const std::function<void(const std::string&)>& complain) {
  m.revision = std::max(m.revision, kv.mod_revision);
  const ClusterKey key = layout.parse(kv.key);
  switch (key.kind) {
    case ClusterKey::Kind::broker:
      put_or_erase(m.brokers, key.broker_id, kv, deleted,
                   [&](const etcd::KeyValue& v, std::string& why) -> Result<BrokerRegistration> {
                     auto b = decode_broker_registration(v.value, why);
                     if (b && b.value().id != key.broker_id) {
                       why = "its id " + std::to_string(b.value().id) + " is not the key's";
                       return make_error_code(std::errc::invalid_argument);
                     }
                     return b;
                   },
                   complain);
      break;
    case ClusterKey::Kind::controller:
      if (deleted) {
        m.controller = {};
      } else {
        std::string why;
        m.controller = controller_info_of(kv, &why);
        if (!why.empty() && complain) complain("ignoring etcd key " + kv.key + ": " + why);
      }
      break;
    case ClusterKey::Kind::topic:
      put_or_erase(m.topics, key.topic, kv, deleted,
                   [](const etcd::KeyValue& v, std::string& why) { return decode_topic_record(v.value, why); },
                   complain);
      break;
    case ClusterKey::Kind::partition: {
      auto& states = m.partitions[key.topic];
      put_or_erase(states, key.partition, kv, deleted,
                   [](const etcd::KeyValue& v, std::string& why) -> Result<VersionedPartitionState> {
                     STRATA_TRY(auto s, decode_partition_state(v.value, why));
                     return VersionedPartitionState{std::move(s), v.mod_revision};
                   },
                   complain);
      if (states.empty()) m.partitions.erase(key.topic);
      break;
    }
    case ClusterKey::Kind::unknown: break;
  }
}

}  // namespace strata::cluster
