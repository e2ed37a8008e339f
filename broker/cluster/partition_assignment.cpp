#include "broker/cluster/partition_assignment.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "broker/cluster/cluster_errc.h"

namespace strata::cluster {

void add_load(std::map<std::int32_t, BrokerLoad>& load, const std::vector<std::vector<std::int32_t>>& replicas) {
  for (const auto& list : replicas) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      BrokerLoad& l = load[list[i]];
      ++l.replicas;
      if (i == 0) ++l.leaders;
      if (i == 1) ++load[list[0]].successors[list[1]];
    }
  }
}

Result<std::vector<std::vector<std::int32_t>>> assign_partitions(const std::vector<std::int32_t>& live,
                                                                 std::int32_t partitions,
                                                                 std::int32_t replication_factor,
                                                                 std::map<std::int32_t, BrokerLoad> load) {
  const std::set<std::int32_t> brokers(live.begin(), live.end());
  if (brokers.empty() || brokers.size() < static_cast<std::size_t>(replication_factor)) {
    return ClusterErrc::not_enough_brokers;
  }
  std::vector<std::vector<std::int32_t>> out;
  out.reserve(static_cast<std::size_t>(partitions));
  for (std::int32_t p = 0; p < partitions; ++p) {
    std::vector<std::int32_t> replicas;
    const auto leader = std::min_element(brokers.begin(), brokers.end(), [&](std::int32_t a, std::int32_t b) {
      return std::tuple(load[a].leaders, load[a].replicas, a) < std::tuple(load[b].leaders, load[b].replicas, b);
    });
    replicas.push_back(*leader);
    ++load[*leader].leaders;
    ++load[*leader].replicas;
    auto& successors = load[*leader].successors;
    while (replicas.size() < static_cast<std::size_t>(replication_factor)) {
      const bool second = replicas.size() == 1;
      const auto rank = [&](std::int32_t b) {
        return std::tuple(load[b].replicas, second ? successors[b] : 0u, b);
      };
      std::int32_t best = -1;
      for (const std::int32_t b : brokers) {
        if (std::find(replicas.begin(), replicas.end(), b) != replicas.end()) continue;
        if (best == -1 || rank(b) < rank(best)) best = b;
      }
      if (second) ++successors[best];
      replicas.push_back(best);
      ++load[best].replicas;
    }
    out.push_back(std::move(replicas));
  }
  return out;
}

}  // namespace strata::cluster
