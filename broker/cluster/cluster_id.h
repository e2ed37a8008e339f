// The cluster's id (issue 17, "identity on disk"): a random id at
// /<cluster.name>/cluster_id, created only if absent by whichever broker
// starts first, read by every other. A broker stamps it with its node id
// into its data directory (storage/data_dir_identity.h), so a directory
// is never served by another node or in another cluster.
//
// Threads: a coroutine on the cluster thread.
#pragma once

#include "broker/runtime/asio.h"

#include "broker/cluster/cluster_layout.h"
#include "broker/cluster/cluster_values.h"
#include "broker/cluster/etcd_client.h"

namespace strata::cluster {

// The id in etcd, creating it first if there is none. bad_value if the key
// holds something else than an id.
boost::asio::awaitable<Result<Uuid>> ensure_cluster_id(EtcdClient& client, const ClusterLayout& layout);

}  // namespace strata::cluster
