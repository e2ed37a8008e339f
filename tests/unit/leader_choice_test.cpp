// The controller's leadership rules (broker/cluster/leader_choice.h), as a
// pure function: failover from the live ISR only, offline with the ISR
// kept, unclean only when allowed, preferred leader returning, bounced
// brokers treated as failed.
#include <doctest/doctest.h>

#include "broker/cluster/leader_choice.h"

namespace strata::cluster {

namespace {

constexpr std::int64_t kEpoch = 42;  // the controller's

Liveness alive(std::set<std::int32_t> live, std::set<std::int32_t> bounced = {}) {
  return {std::move(live), std::move(bounced)};
}

}  // namespace

TEST_CASE("leader choice: a live leader stays, and nothing is written") {
  const PartitionState s{1, 4, {1, 2, 3}, 7};
  CHECK_FALSE(choose_leader({1, 2, 3}, s, alive({1, 2, 3}), false, kEpoch));
  CHECK_FALSE(choose_leader({1, 2, 3}, s, alive({1}), false, kEpoch));  // followers gone: the leader's job
}

TEST_CASE("leader choice: a gone leader is replaced by the first live ISR member in replica order") {
  const PartitionState s{1, 4, {3, 1, 2}, 7};
  const auto d = choose_leader({1, 2, 3}, s, alive({2, 3}), false, kEpoch);
  REQUIRE(d);
  CHECK(d->change == LeaderChange::failover);
  CHECK(d->next == PartitionState{2, 5, {3, 2}, kEpoch});  // the ISR loses the gone leader, keeps its order
  // A live replica outside the ISR is never chosen.
  const auto outside = choose_leader({1, 2, 3}, PartitionState{1, 4, {1, 3}, 7}, alive({2, 3}), false, kEpoch);
  REQUIRE(outside);
  CHECK(outside->next == PartitionState{3, 5, {3}, kEpoch});
  // Gone ISR followers leave the ISR with the leader.
  const auto both = choose_leader({1, 2, 3}, PartitionState{1, 0, {1, 2, 3}, 7}, alive({3}), false, kEpoch);
  REQUIRE(both);
  CHECK(both->next == PartitionState{3, 1, {3}, kEpoch});
}

TEST_CASE("leader choice: no live ISR member: leader -1 with the ISR kept, once") {
  const PartitionState s{1, 4, {1, 2}, 7};
  const auto d = choose_leader({1, 2, 3}, s, alive({3}), false, kEpoch);
  REQUIRE(d);
  CHECK(d->change == LeaderChange::offline);
  CHECK(d->next == PartitionState{-1, 5, {1, 2}, kEpoch});
  CHECK_FALSE(choose_leader({1, 2, 3}, d->next, alive({3}), false, kEpoch));  // already offline
  // An ISR member back: it leads, and the ISR loses those still gone.
  const auto back = choose_leader({1, 2, 3}, d->next, alive({2, 3}), false, kEpoch);
  REQUIRE(back);
  CHECK(back->change == LeaderChange::failover);
  CHECK(back->next == PartitionState{2, 6, {2}, kEpoch});
  // Replication factor 1: the one replica's broker goes and comes back.
  const auto off = choose_leader({5}, PartitionState{5, 0, {5}, 1}, alive({}), false, kEpoch);
  REQUIRE(off);
  CHECK(off->next == PartitionState{-1, 1, {5}, kEpoch});
  CHECK(choose_leader({5}, off->next, alive({5}), false, kEpoch)->next == PartitionState{5, 2, {5}, kEpoch});
}

TEST_CASE("leader choice: unclean election only when the topic allows it, from the first live replica") {
  const PartitionState s{-1, 5, {1, 2}, 7};
  CHECK_FALSE(choose_leader({1, 2, 3}, s, alive({3}), false, kEpoch));
  const auto d = choose_leader({1, 2, 3}, s, alive({3}), true, kEpoch);
  REQUIRE(d);
  CHECK(d->change == LeaderChange::unclean);
  CHECK(d->next == PartitionState{3, 6, {3}, kEpoch});
  const std::string line = describe("t/0", s, *d);
  CHECK(line.find("UNCLEAN") != std::string::npos);
  CHECK(line.find("may be lost") != std::string::npos);
  // A live ISR member is still preferred when unclean is allowed.
  CHECK(choose_leader({1, 2, 3}, s, alive({2, 3}), true, kEpoch)->change == LeaderChange::failover);
  // Nobody alive: offline even when allowed.
  CHECK_FALSE(choose_leader({1, 2, 3}, s, alive({}), true, kEpoch));
}

TEST_CASE("leader choice: the preferred replica takes leadership back when alive and in the ISR") {
  const PartitionState s{2, 6, {2, 1}, 7};
  const auto d = choose_leader({1, 2, 3}, s, alive({1, 2, 3}), false, kEpoch);
  REQUIRE(d);
  CHECK(d->change == LeaderChange::preferred);
  CHECK(d->next == PartitionState{1, 7, {2, 1}, kEpoch});
  // Not while it is out of the ISR (not caught up), gone, or just bounced.
  CHECK_FALSE(choose_leader({1, 2, 3}, PartitionState{2, 6, {2, 3}, 7}, alive({1, 2, 3}), false, kEpoch));
  CHECK_FALSE(choose_leader({1, 2, 3}, s, alive({2, 3}), false, kEpoch));
  CHECK_FALSE(choose_leader({1, 2, 3}, s, alive({1, 2, 3}, {1}), false, kEpoch));
}

TEST_CASE("leader choice: a bounced leader counts as failed, it leads again only when no other ISR member lives") {
  const PartitionState s{1, 3, {1, 2}, 7};
  const auto d = choose_leader({1, 2}, s, alive({1, 2}, {1}), false, kEpoch);
  REQUIRE(d);
  CHECK(d->next == PartitionState{2, 4, {2}, kEpoch});
  const auto alone = choose_leader({1, 2}, s, alive({1}, {1}), false, kEpoch);
  REQUIRE(alone);
  CHECK(alone->next == PartitionState{1, 4, {1}, kEpoch});  // same leader, new epoch
}

TEST_CASE("leader choice: a leader epoch at its maximum is left alone") {
  const PartitionState s{1, 2147483647, {1}, 7};
  CHECK_FALSE(choose_leader({1}, s, alive({}), false, kEpoch));
}

}  // namespace strata::cluster
