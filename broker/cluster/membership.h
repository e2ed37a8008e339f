// A broker's membership in the cluster (issue 17, DESIGN decisions 14, 16):
// its registration at brokers/<id>, bound to an etcd lease it keeps alive.
//
// join():
//   1. revokes the lease its previous incarnation recorded in the data
//      directory (lease_file.h), so its old key goes at once after kill -9;
//   2. grants a lease of lease_ttl_s (etcd may grant more: the granted TTL
//      is used from then on) and records it, durably;
//   3. creates brokers/<id> only if absent (a txn on create revision 0).
//      If another live broker holds the id, it is refused with
//      duplicate_broker_id and `refusal` names the holder.
// Then a keepalive every granted TTL / 3 keeps the lease. When etcd says
// the lease is gone (etcd was unreachable for longer than the TTL), the
// membership registers again under a new lease, and reports it.
//
// A lease is liveness, not a fence: what must not happen twice is fenced by
// epochs in etcd transactions, never by holding this key.
//
// Threads: everything on the cluster thread (the client's executor);
// callbacks run there. REQUIRES: the data directory's lock is held.
#pragma once

#include "broker/runtime/asio.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "broker/cluster/cluster_layout.h"
#include "broker/cluster/cluster_values.h"
#include "broker/cluster/etcd_client.h"
#include "storage/file_system.h"

namespace strata::cluster {

struct MembershipOptions {
  ClusterLayout layout{"strata"};
  BrokerRegistration registration;  // id, a fresh incarnation, one endpoint per listener
  std::int64_t lease_ttl_s = 2;     // lease.ttl.s: whole seconds, as etcd counts them
  storage::FileSystem* fs = nullptr;  // REQUIRES: set, outlives the membership
  storage::fs::path data_dir;
  std::function<void(const std::string&)> log;  // one line per event worth an operator's eye
  // The lease was lost and the registration renewed under a new one (or
  // renewing failed: the error says why; it is retried every TTL / 3).
  std::function<void(std::error_code)> on_renewed;
};

class Membership : public std::enable_shared_from_this<Membership> {
 public:
  // Joins the cluster as described above. On failure `refusal` is the
  // operator's line: which broker holds the id, or which etcd failed.
  static boost::asio::awaitable<Result<std::shared_ptr<Membership>>> join(EtcdClient& client,
                                                                           MembershipOptions options,
                                                                           std::string& refusal);

  [[nodiscard]] std::int64_t lease_id() const noexcept { return lease_.id; }
  [[nodiscard]] std::int64_t granted_ttl_s() const noexcept { return lease_.ttl_s; }
  // The etcd revision at which brokers/<id> was created for this lease.
  [[nodiscard]] std::int64_t registered_revision() const noexcept { return registered_revision_; }

  // A clean shutdown: stops the keepalives and revokes the lease, so the
  // registration disappears at once.
  boost::asio::awaitable<std::error_code> leave();
  // Stops the keepalives only (the lease then expires on its own).
  void stop();

  Membership(EtcdClient& client, MembershipOptions options);

 private:
  // Steps 2-3 of join: a new lease, recorded, and the key created with it.
  boost::asio::awaitable<std::error_code> register_once(std::string& refusal);
  // `self` keeps the membership alive from the moment it is spawned.
  boost::asio::awaitable<void> keep_alive(std::shared_ptr<Membership> self);

  EtcdClient& client_;
  MembershipOptions options_;
  etcd::Lease lease_;
  std::int64_t registered_revision_ = 0;
  bool stopped_ = false;
  std::unique_ptr<boost::asio::steady_timer> timer_;
};

}  // namespace strata::cluster
