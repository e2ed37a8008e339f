// What cluster mode (broker/clustered) plugs into the service: topic admin
// goes to the cluster's metadata instead of the local disk, and each
// partition's requests are served only by its leader (issue 17). Standalone,
// the Broker has none and behaves as before.
//
// Threads: the admin calls are awaited on shard 0 (as Broker's own); route()
// is called from any shard, concurrently, and must not block.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "broker/core/status.h"
#include "broker/core/topic_spec.h"
#include "broker/runtime/asio.h"

namespace strata::broker {

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
};

}  // namespace strata::broker
