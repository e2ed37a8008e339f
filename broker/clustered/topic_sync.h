// Every broker applies the cluster's metadata to its own disk (issue 17):
// each topic in etcd exists here with the partitions etcd gives it, its
// configs as etcd has them, and its KIP-516 topic id recorded in the topic
// directory (`topic.id`); a topic deleted from etcd, or re-created under
// the same name (a new id) while this broker was away, is deleted here, so
// its old data is never served. A local topic without `topic.id` (made
// standalone, before this directory joined a cluster) is never deleted:
// it is logged and left alone, and not served.
//
// Simplification (replication factor 1): a broker opens every partition
// of every topic, and serves only those it leads (ClusterService::route);
// the others stay empty.
//
// Threads: on_metadata from any thread (the cluster thread); the work runs
// on shard 0, one pass at a time, each pass on the newest snapshot.
// verified_id() from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "broker/cluster/metadata_view.h"
#include "broker/core/broker.h"

namespace strata::broker {

class TopicSync : public std::enable_shared_from_this<TopicSync> {
 public:
  explicit TopicSync(Broker& broker);

  void on_metadata(const cluster::MetadataSnapshot& snapshot);
  // The topic id this broker's copy of `topic` has been checked to carry
  // ("" if none yet): route() serves a partition only when it equals etcd's.
  [[nodiscard]] std::string verified_id(const std::string& topic) const;

 private:
  awaitable<void> run();
  // One pass; false if something must be retried (a deletion still going).
  awaitable<bool> apply(const cluster::ClusterMetadata& m);
  awaitable<bool> apply_topic(const std::string& name, const cluster::TopicRecord& record);
  [[nodiscard]] std::string local_id(const std::string& topic);
  void set_verified(const std::string& topic, std::string id);

  Broker& broker_;
  storage::FileSystem& fs_;  // the broker's
  mutable std::mutex mu_;  // guards the members below
  cluster::MetadataSnapshot latest_;
  bool running_ = false;
  std::map<std::string, std::string> verified_;  // topic -> its id, as checked on disk
  std::map<std::string, std::map<std::string, std::string>> applied_configs_;  // shard 0 only
};

}  // namespace strata::broker
