// The service's cluster hooks (core/cluster_hooks.h) over a ClusterNode:
// topic admin written to etcd (then applied on every broker by TopicSync),
// and routing from the metadata view: a partition is served by this broker
// only when etcd names it the leader and its local copy carries the
// cluster's topic id.
//
// Errors: etcd unreachable, no controller known, or a write that lost to a
// controller change → cluster_unavailable (retriable); the cluster's
// topic_exists / unknown_topic → the same Errc.
//
// Threads: admin calls awaited on shard 0; route() from any shard.
#pragma once

#include <chrono>
#include <memory>

#include "broker/cluster/cluster_node.h"
#include "broker/clustered/topic_sync.h"
#include "broker/core/cluster_hooks.h"

namespace strata::broker {

// How long a CreateTopic waits for this broker to have applied the new
// topic before answering (so the caller's next produce here finds it).
inline constexpr auto kAppliedWait = std::chrono::seconds(5);

class ClusterService : public ClusterHooks {
 public:
  // REQUIRES: `node` and `sync` outlive every call.
  ClusterService(Broker& broker, cluster::ClusterNode& node, std::shared_ptr<TopicSync> sync);

  awaitable<Status> create_topic(TopicSpec spec) override;
  awaitable<Status> delete_topic(std::string name) override;
  awaitable<Status> alter_configs(std::string name, std::vector<ConfigSetting> configs) override;
  [[nodiscard]] Status route(const std::string& topic, std::uint32_t partition) const override;
  [[nodiscard]] ClusterSummary summary() const override;

 private:
  // Waits (bounded by kAppliedWait) until TopicSync has `name` with `id`
  // (or, id empty, no longer has it).
  awaitable<void> wait_applied(std::string name, std::string id);

  Broker& broker_;
  cluster::ClusterNode& node_;
  std::shared_ptr<TopicSync> sync_;
};

// A cluster error as the service's Status ("what" names the operation).
[[nodiscard]] Status cluster_status(std::error_code ec, const std::string& what);

}  // namespace strata::broker
