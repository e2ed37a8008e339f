// Electing the controller through etcd (issue 17, DESIGN decision 14).
//
// A broker campaigns by creating `controller` only if absent, bound to its
// membership lease; the key's create revision is the controller epoch.
// Every broker runs an elector: it campaigns at start, watches the key, and
// campaigns again whenever the key goes (its holder's lease expired or was
// revoked). on_change reports each controller it learns of, so every
// broker knows who the controller is.
//
// The lease is liveness, not a fence: a deposed controller may not know
// yet. Every controller write therefore goes through controller_txn(),
// which compares the key's create revision with the writer's epoch inside
// the same etcd transaction: a stale controller's write is refused with
// not_controller and changes nothing.
//
// Threads: the cluster thread (the client's executor), callbacks there too.
#pragma once

#include "broker/runtime/asio.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "broker/cluster/cluster_layout.h"
#include "broker/cluster/cluster_values.h"
#include "broker/cluster/etcd_client.h"
#include "broker/cluster/etcd_types.h"

namespace strata::cluster {

class Watcher;

struct ElectorOptions {
  ClusterLayout layout{"strata"};
  std::int32_t broker_id = 0;
  std::int64_t lease_id = 0;  // the membership's lease (Membership::lease_id)
  std::function<void(const ControllerInfo&)> on_change;
  std::function<void(const std::string&)> log;
};

class ControllerElector : public std::enable_shared_from_this<ControllerElector> {
 public:
  // REQUIRES: `client` outlives the elector's coroutines (stop the cluster
  // thread before destroying the client).
  static std::shared_ptr<ControllerElector> start(EtcdClient& client, ElectorOptions options);

  // After the membership registered again under a new lease.
  void set_lease(std::int64_t lease_id) noexcept { options_.lease_id = lease_id; }
  [[nodiscard]] const ControllerInfo& current() const noexcept { return current_; }
  [[nodiscard]] bool is_controller() const noexcept { return current_.broker_id == options_.broker_id; }
  // Stops campaigning and watching (the key, if held, stays until the lease goes).
  void stop();

  ControllerElector(EtcdClient& client, ElectorOptions options);
  ~ControllerElector();

 private:
  // `self` keeps the elector alive from the moment it is spawned.
  boost::asio::awaitable<void> run(std::shared_ptr<ControllerElector> self);
  // One create-if-absent txn; learns the controller either way.
  boost::asio::awaitable<std::error_code> campaign();
  void learn(const ControllerInfo& info);
  void on_events(const std::vector<etcd::WatchEvent>& events);

  EtcdClient& client_;
  ElectorOptions options_;
  ControllerInfo current_;
  bool vacant_ = true;  // campaign when woken
  bool stopped_ = false;
  std::int64_t watch_from_ = 0;
  std::shared_ptr<Watcher> watcher_;
  std::unique_ptr<boost::asio::steady_timer> wake_;
};

// `txn` applied only while the controller key still has create revision
// `epoch` (the writer is still the controller): otherwise not_controller
// and nothing is written. The caller's own compares, success and failure
// ops are kept; its ranges come back as they would without the fence.
// REQUIRES: the failure ops only read (a stale controller writes nothing):
// otherwise std::errc::invalid_argument.
boost::asio::awaitable<Result<etcd::TxnResult>> controller_txn(EtcdClient& client, const ClusterLayout& layout,
                                                               std::int64_t epoch, etcd::TxnRequest txn);

}  // namespace strata::cluster
