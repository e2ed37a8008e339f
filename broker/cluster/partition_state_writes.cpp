#include "broker/cluster/partition_state_writes.h"

#include <algorithm>
#include <set>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/controller_election.h"

namespace strata::cluster {

namespace asio = boost::asio;

namespace {

etcd::TxnRequest swap(const std::string& key, std::int64_t expected_mod_revision, const PartitionState& next) {
  return {{etcd::Compare::modified_at(key, expected_mod_revision)}, {etcd::TxnOp::put(key, encode(next))}, {}};
}

// A state is never created here: a revision of 0 would match an absent key.
bool stale(std::int64_t expected_mod_revision) { return expected_mod_revision <= 0; }

Result<VersionedPartitionState> written(const Result<etcd::TxnResult>& r, PartitionState next) {
  if (!r) return r.error();
  if (!r.value().succeeded) return ClusterErrc::state_changed;
  return VersionedPartitionState{std::move(next), r.value().revision};
}

bool valid_isr(const std::vector<std::int32_t>& isr, std::int32_t leader, const std::vector<std::int32_t>& replicas) {
  const std::set<std::int32_t> distinct(isr.begin(), isr.end());
  return !isr.empty() && distinct.size() == isr.size() && distinct.count(leader) != 0 &&
         std::all_of(isr.begin(), isr.end(),
                     [&](std::int32_t id) { return std::find(replicas.begin(), replicas.end(), id) != replicas.end(); });
}

}  // namespace

asio::awaitable<Result<VersionedPartitionState>> write_partition_state(EtcdClient& client, const ClusterLayout& layout,
                                                                       std::int64_t controller_epoch, std::string topic,
                                                                       std::int32_t partition,
                                                                       std::int64_t expected_mod_revision,
                                                                       PartitionState next) {
  if (stale(expected_mod_revision)) co_return make_error_code(ClusterErrc::state_changed);
  etcd::TxnRequest txn = swap(layout.partition_key(topic, partition), expected_mod_revision, next);
  auto r = co_await controller_txn(client, layout, controller_epoch, std::move(txn));
  co_return written(r, std::move(next));
}

asio::awaitable<Result<VersionedPartitionState>> change_isr(EtcdClient& client, const ClusterLayout& layout,
                                                            std::string topic, std::int32_t partition,
                                                            VersionedPartitionState current, std::int32_t leader,
                                                            std::int32_t leader_epoch, std::vector<std::int32_t> isr,
                                                            std::vector<std::int32_t> replicas) {
  if (current.state.leader != leader || current.state.leader_epoch != leader_epoch) {
    co_return make_error_code(ClusterErrc::not_partition_leader);
  }
  if (!valid_isr(isr, leader, replicas)) co_return make_error_code(ClusterErrc::invalid_isr);
  if (stale(current.mod_revision)) co_return make_error_code(ClusterErrc::state_changed);
  PartitionState next = current.state;
  next.isr = std::move(isr);
  auto r = co_await client.txn(swap(layout.partition_key(topic, partition), current.mod_revision, next));
  co_return written(r, std::move(next));
}

}  // namespace strata::cluster
