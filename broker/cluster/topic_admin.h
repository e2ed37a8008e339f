// The controller's topic writes (issue 17): creating and deleting a topic
// in etcd, every write fenced on the controller epoch (controller_txn).
//
// create_topic assigns the partitions over the live brokers
// (partition_assignment.h, balanced against what they already hold) and
// writes topics/<t> (a fresh KIP-516 topic id, the assignment, configs)
// only if it is absent, then each partitions/<t>/<p> = {leader: the first
// replica, leader_epoch 0, isr: the replicas, controller_epoch}. etcd caps
// the operations of one transaction (--max-txn-ops, 128 by default), so
// the states go in chunks after the topic record; a controller that dies
// between chunks leaves states missing, and its successor finishes them
// with write_missing_partition_states (each written only if absent).
//
// Threads: coroutines on the cluster thread.
#pragma once

#include "broker/runtime/asio.h"

#include <cstdint>
#include <map>
#include <string>

#include "broker/cluster/cluster_layout.h"
#include "broker/cluster/cluster_metadata.h"
#include "broker/cluster/etcd_client.h"

namespace strata::cluster {

struct NewTopic {
  std::string name;  // REQUIRES: protocol::valid_topic_name
  std::int32_t partitions = 1;
  std::int32_t replication_factor = 1;
  std::map<std::string, std::string> configs;
};

// Partition states per transaction (below etcd's default cap of 128).
inline constexpr std::size_t kStatesPerTxn = 100;

// Errors: topic_exists, not_controller, not_enough_brokers (from the live
// brokers in `view`), and the client's.
boost::asio::awaitable<Result<TopicRecord>> create_topic(EtcdClient& client, const ClusterLayout& layout,
                                                         std::int64_t epoch, NewTopic topic,
                                                         const ClusterMetadata& view);

// Writes the partition states of `record` that `view` lacks, each only if
// absent in etcd.
boost::asio::awaitable<std::error_code> write_missing_partition_states(EtcdClient& client,
                                                                      const ClusterLayout& layout,
                                                                      std::int64_t epoch, std::string topic,
                                                                      TopicRecord record,
                                                                      const ClusterMetadata& view);

// Deletes topics/<t> and every partitions/<t>/<p> at once. Errors:
// unknown_topic, not_controller, and the client's.
boost::asio::awaitable<std::error_code> delete_topic(EtcdClient& client, const ClusterLayout& layout,
                                                    std::int64_t epoch, std::string topic);

// Replaces the given keys of topics/<t>'s configs (the others kept), only
// if the record is unchanged since read. Errors: unknown_topic,
// not_controller, bad_value, and the client's.
boost::asio::awaitable<std::error_code> alter_topic_configs(EtcdClient& client, const ClusterLayout& layout,
                                                           std::int64_t epoch, std::string topic,
                                                           std::map<std::string, std::string> configs);

}  // namespace strata::cluster
