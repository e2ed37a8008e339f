// Cluster mode in a running broker (issue 17): the glue between the
// protocol-neutral service (broker/core) and cluster membership
// (broker/cluster, which knows nothing of the broker). It maps the
// broker's options onto cluster::ClusterOptions, joins the cluster with
// this broker's advertised address, and leaves it on destruction.
//
// Threads: start() on the main thread, after Broker::load() (which holds
// the data directory's lock, as ClusterNode requires) and before the shards
// start; the destructor after Broker::shutdown() (the broker's hooks point
// into it). Both block, bounded by the etcd client's timeouts.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "broker/cluster/cluster_node.h"
#include "broker/clustered/topic_sync.h"
#include "broker/core/broker.h"
#include "protocol/base/result.h"

namespace strata::broker {

class ClusterMode {
 public:
  // `host`/`port`: the strata listener's bound address, used as the
  // advertised address unless advertised.listen names another. `others`:
  // the other listeners' advertised endpoints (e.g. "kafka"), registered
  // with it so every broker's Metadata can name them. On failure `refusal`
  // is the operator's line (which option, what to do).
  static Result<std::unique_ptr<ClusterMode>> start(Broker& broker, const std::string& host, std::uint16_t port,
                                                    std::vector<cluster::AdvertisedEndpoint> others,
                                                    std::string& refusal);
  ~ClusterMode();
  ClusterMode(const ClusterMode&) = delete;
  ClusterMode& operator=(const ClusterMode&) = delete;

  explicit ClusterMode(Broker& broker);

 private:
  std::shared_ptr<TopicSync> sync_;
  std::unique_ptr<cluster::ClusterNode> node_;
};

}  // namespace strata::broker
