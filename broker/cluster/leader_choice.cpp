#include "broker/cluster/leader_choice.h"

#include <algorithm>
#include <limits>

namespace strata::cluster {

namespace {

bool holds(const std::vector<std::int32_t>& ids, std::int32_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Concatenation by append: GCC 12 reports a false -Wrestrict for
// operator+ chains on std::string.
std::string list(const std::vector<std::int32_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) out.append(",");
    out.append(std::to_string(ids[i]));
  }
  out.append("]");
  return out;
}

struct Judge {
  const Liveness& alive;
  [[nodiscard]] bool live(std::int32_t id) const { return alive.live.count(id) != 0; }
  [[nodiscard]] bool up(std::int32_t id) const { return live(id) && alive.bounced.count(id) == 0; }
  // The first replica, in order, passing `ok`, preferring those up to bounced ones; -1 if none.
  template <typename Ok>
  [[nodiscard]] std::int32_t first(const std::vector<std::int32_t>& replicas, Ok ok) const {
    for (const std::int32_t r : replicas) {
      if (ok(r) && up(r)) return r;
    }
    for (const std::int32_t r : replicas) {
      if (ok(r) && live(r)) return r;
    }
    return -1;
  }
};

}  // namespace

std::optional<LeaderDecision> choose_leader(const std::vector<std::int32_t>& replicas, const PartitionState& current,
                                            const Liveness& alive, bool unclean_allowed,
                                            std::int64_t controller_epoch) {
  if (current.leader_epoch == std::numeric_limits<std::int32_t>::max()) return std::nullopt;
  const Judge judge{alive};
  const auto next = [&](std::int32_t leader, std::vector<std::int32_t> isr, LeaderChange change) {
    return LeaderDecision{{leader, current.leader_epoch + 1, std::move(isr), controller_epoch}, change};
  };
  if (current.leader != -1 && judge.up(current.leader)) {
    const std::int32_t preferred = replicas.front();
    if (preferred != current.leader && judge.up(preferred) && holds(current.isr, preferred)) {
      return next(preferred, current.isr, LeaderChange::preferred);
    }
    return std::nullopt;
  }
  const std::int32_t leader = judge.first(replicas, [&](std::int32_t r) { return holds(current.isr, r); });
  if (leader != -1) {
    std::vector<std::int32_t> isr;
    for (const std::int32_t m : current.isr) {
      if (m == leader || judge.up(m)) isr.push_back(m);
    }
    return next(leader, std::move(isr), LeaderChange::failover);
  }
  if (unclean_allowed) {
    const std::int32_t any = judge.first(replicas, [](std::int32_t) { return true; });
    if (any != -1) return next(any, {any}, LeaderChange::unclean);
  }
  if (current.leader == -1) return std::nullopt;  // offline already: the ISR stays as it is
  return next(-1, current.isr, LeaderChange::offline);
}

std::string describe(const std::string& where, const PartitionState& before, const LeaderDecision& d) {
  const PartitionState& s = d.next;
  std::string out;
  for (const std::string& part : {std::string("partition "), where, std::string(": leader "),
                                  std::to_string(before.leader), std::string(" -> "), std::to_string(s.leader),
                                  std::string(" (leader epoch "), std::to_string(s.leader_epoch),
                                  std::string(", isr "), list(s.isr), std::string(")")}) {
    out.append(part);
  }
  switch (d.change) {
    case LeaderChange::failover: out.append(": the leader went"); break;
    case LeaderChange::preferred: out.append(": back to the preferred replica"); break;
    case LeaderChange::offline:
      out.append(": no in-sync replica is alive; the partition is unavailable until one of ");
      out.append(list(s.isr));
      out.append(" is back");
      break;
    case LeaderChange::unclean:
      out.append(": UNCLEAN election (unclean.leader.election.enable=true): no in-sync replica of ");
      out.append(list(before.isr));
      out.append(" is alive, so messages they had and broker ");
      out.append(std::to_string(s.leader));
      out.append(" lacks, acknowledged ones included, may be lost");
      break;
  }
  return out;
}

}  // namespace strata::cluster
