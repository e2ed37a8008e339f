// Every broker's copy of the cluster's metadata (issue 17: "every broker
// watches the cluster's prefix and serves Metadata from that view"). It
// reads the whole prefix once, then watches it from the next revision
// (etcd_watch.h: resumes after restarts, re-reads after compaction), and
// publishes each new state as an immutable snapshot.
//
// If etcd is down the view keeps the last state it saw (the data path does
// not wait on etcd); `connected()` says whether the watch is up.
//
// Threads: start, stop and callbacks on the cluster thread; current() and
// connected() from any thread (a shard reads the snapshot it gets and
// keeps it as long as it likes).
// Cost: each etcd watch message copies the snapshot once (copy on write);
// cheap next to the etcd round trip for clusters of thousands of
// partitions.
#pragma once

#include "broker/runtime/asio.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "broker/cluster/cluster_metadata.h"
#include "broker/cluster/etcd_client.h"

namespace strata::cluster {

class Watcher;

using MetadataSnapshot = std::shared_ptr<const ClusterMetadata>;

struct MetadataViewOptions {
  ClusterLayout layout{"strata"};
  // A new snapshot, after each etcd change (on the cluster thread).
  std::function<void(const MetadataSnapshot&)> on_change;
  std::function<void(const std::string&)> log;
};

class MetadataView : public std::enable_shared_from_this<MetadataView> {
 public:
  // Reads the prefix and starts watching. Fails (etcd_unreachable, ...)
  // only if the first read does.
  static boost::asio::awaitable<Result<std::shared_ptr<MetadataView>>> start(EtcdClient& client,
                                                                              MetadataViewOptions options);

  [[nodiscard]] MetadataSnapshot current() const;
  [[nodiscard]] bool connected() const noexcept { return connected_.load(std::memory_order_relaxed); }
  void stop();

  MetadataView(EtcdClient& client, MetadataViewOptions options);
  ~MetadataView();

 private:
  void replace_all(const etcd::RangeResult& all);
  void apply_events(const std::vector<etcd::WatchEvent>& events);
  void publish(ClusterMetadata next);

  EtcdClient& client_;
  MetadataViewOptions options_;
  std::shared_ptr<Watcher> watcher_;
  mutable std::mutex mu_;  // guards snapshot_ (the pointer, not what it points to)
  MetadataSnapshot snapshot_;
  std::atomic<bool> connected_{false};
};

}  // namespace strata::cluster
