// One broker's whole part in the cluster, behind one object the broker
// starts and stops (issue 17): the cluster thread, the etcd client, the
// cluster id and the data directory's identity, membership, every
// broker's metadata view, the controller election, and (while this broker
// is the controller) partition leadership (partition_controller.h). The broker then
// reads metadata() to route and to answer Metadata, and asks the
// controller for topic changes.
//
// Threads: start() and the destructor from the broker's main thread (they
// block, each bounded by the etcd client's timeouts); metadata(),
// controller() and cluster_id() from any thread; create_topic and
// delete_topic from any thread, their `done` on the cluster thread (post
// it back to the caller's shard).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "broker/cluster/cluster_options.h"
#include "broker/cluster/cluster_thread.h"
#include "broker/cluster/cluster_values.h"
#include "broker/cluster/metadata_view.h"
#include "broker/cluster/topic_admin.h"
#include "storage/file_system.h"

namespace strata::cluster {

class ControllerElector;
class EtcdClient;
class Membership;
class PartitionController;

struct ClusterNodeOptions {
  CheckedClusterOptions cluster;                // from check_cluster_options
  std::vector<AdvertisedEndpoint> endpoints;    // one per listener, as clients reach them
  storage::FileSystem* fs = nullptr;            // REQUIRES: set, outlives the node
  storage::fs::path data_dir;                   // REQUIRES: its lock held, check_data_dir passed
  std::function<void(const std::string&)> log;  // called on the cluster thread
  std::function<void(const MetadataSnapshot&)> on_metadata;  // each new view, on the cluster thread
};

class ClusterNode {
 public:
  // Joins the cluster: the cluster id (created if this is the first
  // broker), the data directory stamped with it and the node id (or
  // refused if it is another's), registration, the metadata view, the
  // elector. On failure `refusal` is the operator's line.
  static Result<std::unique_ptr<ClusterNode>> start(ClusterNodeOptions options, std::string& refusal);
  // Leaves: stops electing and watching and revokes the lease, so the
  // registration (and the controller key, if held) go at once.
  ~ClusterNode();
  ClusterNode(const ClusterNode&) = delete;
  ClusterNode& operator=(const ClusterNode&) = delete;

  [[nodiscard]] MetadataSnapshot metadata() const;
  [[nodiscard]] ControllerInfo controller() const;
  [[nodiscard]] const Uuid& cluster_id() const noexcept { return cluster_id_; }
  [[nodiscard]] std::int32_t node_id() const noexcept { return options_.cluster.node_id; }

  // As the controller (not_controller when this broker is not it).
  void create_topic(NewTopic topic, std::function<void(Result<TopicRecord>)> done);
  void delete_topic(std::string topic, std::function<void(std::error_code)> done);

  // The same from any broker (issue 17: "topic create, delete and config
  // changes work from any broker"): written to etcd fenced on the epoch of
  // the controller this broker knows (controller_txn), so a write made
  // while the controller changes fails not_controller and is retried by
  // the caller. Not yet forwarded to the controller itself: two brokers
  // creating topics at once may balance against the same load.
  void submit_create_topic(NewTopic topic, std::function<void(Result<TopicRecord>)> done);
  void submit_delete_topic(std::string topic, std::function<void(std::error_code)> done);
  void submit_alter_configs(std::string topic, std::map<std::string, std::string> configs,
                            std::function<void(std::error_code)> done);

  ClusterThread& thread() noexcept { return thread_; }

  explicit ClusterNode(ClusterNodeOptions options);

 private:
  boost::asio::awaitable<std::error_code> join(std::string& refusal);
  boost::asio::awaitable<int> leave();
  boost::asio::awaitable<Result<TopicRecord>> create_as_controller(NewTopic topic);
  boost::asio::awaitable<std::error_code> delete_as_controller(std::string topic);
  // The controller epoch when this broker is the controller, else 0.
  [[nodiscard]] std::int64_t my_epoch() const;
  // The known controller's epoch (any broker), else 0.
  [[nodiscard]] std::int64_t known_epoch() const;
  boost::asio::awaitable<Result<TopicRecord>> create_fenced(NewTopic topic, std::int64_t epoch);
  boost::asio::awaitable<std::error_code> delete_fenced(std::string topic, std::int64_t epoch);
  boost::asio::awaitable<std::error_code> alter_fenced(std::string topic, std::map<std::string, std::string> configs,
                                                       std::int64_t epoch);

  // First, so it is destroyed last: the destructor stops it (no handler
  // runs after that), the I/O objects below go while its io_context still
  // exists, and the coroutines it still holds go with it.
  ClusterThread thread_;
  ClusterNodeOptions options_;
  Uuid cluster_id_{};
  std::unique_ptr<EtcdClient> client_;
  std::shared_ptr<Membership> membership_;
  std::shared_ptr<MetadataView> view_;
  std::shared_ptr<ControllerElector> elector_;
  std::shared_ptr<PartitionController> partitions_;  // acts while this broker is the controller
  mutable std::mutex mu_;  // guards controller_
  ControllerInfo controller_;
};

}  // namespace strata::cluster
