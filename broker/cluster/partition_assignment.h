// Where a new topic's partitions go (issue 17): spread over the live
// brokers, balanced by count, and deterministic (the same inputs give the
// same assignment on any broker, so a controller that fails over midway and
// its successor agree).
//
// Partition by partition, the leader (first replica) is the live broker
// leading the fewest partitions, then hosting the fewest replicas, then
// with the lowest id; each further replica is, among the brokers not yet
// in that partition, the one hosting the fewest replicas, then (for the
// second replica, the one that takes over when the leader fails: the
// controller elects the first live in-sync replica in this order) the one
// that follows this leader first least often, then the lowest id. The
// counts start from what the brokers already hold and grow as partitions
// are placed, so many topics together stay balanced, and the partitions a
// failed broker led spread over the others instead of all moving to one.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "protocol/base/result.h"

namespace strata::cluster {

struct BrokerLoad {
  std::uint32_t leaders = 0;   // partitions it leads (first replica of)
  std::uint32_t replicas = 0;  // partitions it holds a replica of, leaders included
  std::map<std::int32_t, std::uint32_t> successors;  // of those it leads: second replica -> how many
};

// One replica list per partition, preferred leader first. Errors:
// not_enough_brokers when `live` has fewer than replication_factor brokers
// (or none). REQUIRES: partitions >= 1, replication_factor >= 1. `load`
// (by node id) may lack brokers (zero load) or hold dead ones (ignored).
[[nodiscard]] Result<std::vector<std::vector<std::int32_t>>> assign_partitions(
    const std::vector<std::int32_t>& live, std::int32_t partitions, std::int32_t replication_factor,
    std::map<std::int32_t, BrokerLoad> load = {});

// The load each broker carries under the given assignments.
void add_load(std::map<std::int32_t, BrokerLoad>& load, const std::vector<std::vector<std::int32_t>>& replicas);

}  // namespace strata::cluster
