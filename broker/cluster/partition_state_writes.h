// Changing a partition's state in etcd (issue 18, DESIGN decisions 14, 15):
// every change is a compare-and-swap on the state's mod revision, so a
// writer that read an older state changes nothing (state_changed: re-read
// and decide again).
//
// - The controller's writes (a new leader) are also fenced on its epoch
//   (controller_txn): a deposed controller writes nothing (not_controller).
// - The leader's writes (its ISR shrinking or growing, called by the data
//   path) are fenced by the state itself: they name the leader and leader
//   epoch the caller holds, and the compare-and-swap fails if the
//   controller has changed the state since. They keep the state's
//   controller_epoch (the last controller that wrote it).
//
// Threads: coroutines on the cluster thread (the client's executor).
#pragma once

#include "broker/runtime/asio.h"

#include <cstdint>
#include <string>
#include <vector>

#include "broker/cluster/cluster_layout.h"
#include "broker/cluster/cluster_metadata.h"
#include "broker/cluster/etcd_client.h"

namespace strata::cluster {

// Writes `next` as partitions/<topic>/<partition> if its mod revision is
// still `expected_mod_revision` and the controller key's create revision
// is still `controller_epoch`. The written state with its new mod revision.
// Errors: not_controller, state_changed (also when the key is gone: the
// topic was deleted; states are created only by create_topic), and the
// client's.
boost::asio::awaitable<Result<VersionedPartitionState>> write_partition_state(
    EtcdClient& client, const ClusterLayout& layout, std::int64_t controller_epoch, std::string topic,
    std::int32_t partition, std::int64_t expected_mod_revision, PartitionState next);

// The leader `leader` at `leader_epoch` replaces the ISR of the state it
// read (`current`) with `isr`. Errors: not_partition_leader (`current`
// names another leader or epoch), invalid_isr (`isr` empty, without the
// leader, repeating a node, or naming one outside `replicas`),
// state_changed, and the client's.
boost::asio::awaitable<Result<VersionedPartitionState>> change_isr(EtcdClient& client, const ClusterLayout& layout,
                                                                   std::string topic, std::int32_t partition,
                                                                   VersionedPartitionState current,
                                                                   std::int32_t leader, std::int32_t leader_epoch,
                                                                   std::vector<std::int32_t> isr,
                                                                   std::vector<std::int32_t> replicas);

}  // namespace strata::cluster
