// What cluster mode (broker/clustered) plugs into the service: topic admin
// goes to the cluster's metadata instead of the local disk, and each
// partition's requests are served only by its leader (issue 17). Standalone,
// the Broker has none and behaves as before.
//
// Threads: the admin calls are awaited on shard 0 (as Broker's own); route()
// is called from any shard, concurrently, and must not block.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "broker/core/status.h"
#include "broker/core/topic_spec.h"
#include "broker/runtime/asio.h"

namespace strata::broker {

// Who serves what, for strata's Metadata versions 1 and 2 and Kafka's Metadata.
struct ClusterBroker {
  std::int32_t id = 0;
  std::string host;  // its advertised strata address
  std::uint16_t port = 0;
  std::string kafka_host;  // its advertised Kafka address; kafka_port 0: no Kafka listener
  std::uint16_t kafka_port = 0;
};
struct ReplicaSummary {
  std::vector<std::int32_t> replicas;  // preferred leader first
  std::vector<std::int32_t> isr;
  std::int32_t leader_epoch = -1;  // -1: no state known
};
struct ClusterSummary {
  std::vector<ClusterBroker> brokers;  // live ones, by id
  std::int32_t controller = -1;
  std::map<std::string, std::vector<std::int32_t>> leaders;  // topic -> leader per partition (-1: none)
  std::map<std::string, std::vector<ReplicaSummary>> replicas;  // topic -> per partition
};

class ClusterHooks {
 public:
  virtual ~ClusterHooks() = default;
  // REQUIRES: `spec` passed Broker::check_topic_spec.
  virtual awaitable<Status> create_topic(TopicSpec spec) = 0;
  virtual awaitable<Status> delete_topic(std::string name) = 0;
  virtual awaitable<Status> alter_configs(std::string name, std::vector<ConfigSetting> configs) = 0;
  // Ok when this broker leads `topic`/`partition`; else not_leader (the
  // leader's id in the message) or leader_not_available (retriable).
  [[nodiscard]] virtual Status route(const std::string& topic, std::uint32_t partition) const = 0;
  [[nodiscard]] virtual ClusterSummary summary() const = 0;
};

}  // namespace strata::broker
