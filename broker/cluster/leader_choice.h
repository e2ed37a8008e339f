// What the controller decides for one partition (issue 18, DESIGN decision
// 15): a pure function of the partition's replicas, its state in etcd and
// which brokers are alive, so the rules are tested without etcd. No Asio.
//
// Rules (Kafka's controller, with its later fixes):
// - The leader is alive: leadership moves only back to the preferred
//   replica (the first), when it is alive, in the ISR and not the leader
//   (Kafka's automatic preferred-leader election).
// - The leader is gone (its registration went) or bounced (it registered
//   again with a new incarnation: it may have lost what was not synced):
//   the new leader is the first replica, in replica order, that is alive
//   and in the ISR; the ISR loses the members that are gone or bounced
//   (never to empty: the new leader stays). A bounced member is chosen
//   only when no other is alive.
// - No ISR member alive: leader -1 and the ISR kept as it is (the members
//   that hold every acknowledged message), unless the topic allows unclean
//   election: then the first live replica leads with the ISR {itself}, and
//   what the old ISR had beyond its log may be lost.
// Every leader change (to -1 as well) bumps the leader epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/cluster/cluster_values.h"

namespace strata::cluster {

// Who is alive, as the controller sees it.
struct Liveness {
  std::set<std::int32_t> live;     // registered brokers
  std::set<std::int32_t> bounced;  // registered, but with a new incarnation since last seen (a subset of live)
};

enum class LeaderChange {
  failover,   // the leader went (or bounced): a live ISR member leads now
  preferred,  // back to the preferred replica
  unclean,    // no ISR member alive, the topic allows it: a replica outside the ISR leads
  offline,    // no ISR member alive: no leader (-1) until one is back
};

struct LeaderDecision {
  PartitionState next;
  LeaderChange change = LeaderChange::failover;
};

// The partition's next state, or nullopt when it should stay as it is
// (also when its leader epoch cannot grow: 2^31 - 1 changes). `next`
// carries `controller_epoch`. REQUIRES: `replicas` not empty.
[[nodiscard]] std::optional<LeaderDecision> choose_leader(const std::vector<std::int32_t>& replicas,
                                                          const PartitionState& current, const Liveness& alive,
                                                          bool unclean_allowed, std::int64_t controller_epoch);

// One log line for a decision about `where` ("orders/3"): old and new
// leader, epoch and ISR; for an unclean election, what may be lost.
[[nodiscard]] std::string describe(const std::string& where, const PartitionState& before,
                                   const LeaderDecision& decision);

}  // namespace strata::cluster
