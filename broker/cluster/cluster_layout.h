// Where cluster mode keeps its metadata in etcd (DESIGN decision 14). Under
// the cluster's prefix /<cluster.name>/:
//
//   cluster_id                the cluster's id, written once by the first broker (KIP-516 style)
//   brokers/<id>              lease-bound, created only if absent: BrokerRegistration
//   controller                lease-bound; its create revision is the controller epoch
//   topics/<topic>            TopicRecord: topic id, partition count, replica assignment, configs
//   partitions/<topic>/<p>    PartitionState, changed only by compare-and-swap on its mod revision
//
// Node ids and partition numbers are written in plain decimal (no sign, no
// leading zeros), so each value has exactly one key. The values' JSON is in
// cluster_values.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::cluster {

// cluster.name: 1-64 characters of [A-Za-z0-9._-] (a single etcd key
// segment; clusters sharing an etcd are told apart by it).
inline constexpr std::size_t kMaxClusterNameLength = 64;
[[nodiscard]] bool valid_cluster_name(std::string_view name) noexcept;

// What a key under the prefix names.
struct ClusterKey {
  enum class Kind { broker, controller, topic, partition, unknown };
  Kind kind = Kind::unknown;
  std::int32_t broker_id = -1;  // broker
  std::string topic;            // topic, partition
  std::int32_t partition = -1;  // partition
};

class ClusterLayout {
 public:
  // REQUIRES: valid_cluster_name(name).
  explicit ClusterLayout(std::string_view name);

  [[nodiscard]] const std::string& prefix() const noexcept { return prefix_; }  // "/<name>/"
  [[nodiscard]] std::string cluster_id_key() const;
  [[nodiscard]] std::string brokers_prefix() const;
  [[nodiscard]] std::string broker_key(std::int32_t id) const;
  [[nodiscard]] std::string controller_key() const;
  [[nodiscard]] std::string topics_prefix() const;
  [[nodiscard]] std::string topic_key(std::string_view topic) const;
  [[nodiscard]] std::string partitions_prefix() const;
  [[nodiscard]] std::string partitions_prefix(std::string_view topic) const;  // ".../partitions/<t>/"
  [[nodiscard]] std::string partition_key(std::string_view topic, std::int32_t partition) const;

  // Classifies a key. Anything not exactly one of the shapes above (another
  // prefix, a bad number, a topic name the protocol refuses) is unknown.
  [[nodiscard]] ClusterKey parse(std::string_view key) const;

 private:
  std::string prefix_;
};

}  // namespace strata::cluster
