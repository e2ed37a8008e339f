#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include <set>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/partition_assignment.h"

namespace strata::cluster {

using Assignment = std::vector<std::vector<std::int32_t>>;

TEST_CASE("partition assignment: spread evenly over live brokers, deterministic, in id order on ties") {
  const auto a = assign_partitions({3, 1, 2}, 7, 1);
  REQUIRE(a);
  CHECK(a.value() == Assignment{{1}, {2}, {3}, {1}, {2}, {3}, {1}});
  CHECK(assign_partitions({2, 3, 1}, 7, 1).value() == a.value());  // order of the input does not matter
}

TEST_CASE("partition assignment: existing load is evened out first, so many topics stay balanced") {
  std::map<std::int32_t, BrokerLoad> load;
  add_load(load, {{1}, {1}, {1}, {2}});
  CHECK(assign_partitions({1, 2, 3}, 4, 1, load).value() == Assignment{{3}, {2}, {3}, {2}});  // ends 3, 3, 2
  // 100 topics of 3 partitions over 4 brokers: 75 each.
  std::map<std::int32_t, BrokerLoad> total;
  for (int t = 0; t < 100; ++t) add_load(total, assign_partitions({1, 2, 3, 4}, 3, 1, total).value());
  for (const auto& [id, l] : total) CHECK(l.leaders == 75);
  // Dead brokers in the load are ignored.
  std::map<std::int32_t, BrokerLoad> with_dead{{9, {100, 100, {}}}};
  CHECK(assign_partitions({1}, 2, 1, with_dead).value() == Assignment{{1}, {1}});
}

TEST_CASE("partition assignment: replicas on distinct brokers, leaders and replicas balanced") {
  const auto a = assign_partitions({1, 2, 3}, 6, 3);
  REQUIRE(a);
  std::map<std::int32_t, BrokerLoad> load;
  add_load(load, a.value());
  for (const auto& r : a.value()) CHECK(std::set<std::int32_t>(r.begin(), r.end()).size() == 3);
  for (const auto& [id, l] : load) {
    CHECK(l.leaders == 2);
    CHECK(l.replicas == 6);
  }
  const auto two = assign_partitions({1, 2, 3, 4}, 4, 2).value();
  std::map<std::int32_t, BrokerLoad> l2;
  add_load(l2, two);
  for (const auto& [id, l] : l2) {
    CHECK(l.leaders == 1);
    CHECK(l.replicas == 2);
  }
}

namespace {

// For each broker, how many of the partitions it leads each other broker
// takes over when it fails (the second replica: the first live ISR member
// in replica order).
std::map<std::int32_t, std::map<std::int32_t, int>> takeovers(const Assignment& a) {
  std::map<std::int32_t, std::map<std::int32_t, int>> out;
  for (const auto& r : a) ++out[r[0]][r[1]];
  return out;
}

}  // namespace

TEST_CASE("partition assignment: a failed leader's partitions move to every other broker, not all to one") {
  // Replication factor 2 and 3 over 3 brokers, 6 partitions: each broker
  // leads 2, and each of those goes to a different broker on failure.
  for (const std::int32_t rf : {2, 3}) {
    CAPTURE(rf);
    const auto a = assign_partitions({1, 2, 3}, 6, rf).value();
    for (const auto& [leader, to] : takeovers(a)) {
      CAPTURE(leader);
      CHECK(to.size() == 2);
      for (const auto& [next, n] : to) CHECK(n == 1);
    }
  }
  // Across topics too: 12 topics of 1 partition, replication factor 3.
  std::map<std::int32_t, BrokerLoad> load;
  Assignment all;
  for (int t = 0; t < 12; ++t) {
    const auto a = assign_partitions({1, 2, 3}, 1, 3, load).value();
    add_load(load, a);
    all.insert(all.end(), a.begin(), a.end());
  }
  for (const auto& [leader, to] : takeovers(all)) {
    CAPTURE(leader);
    for (const auto& [next, n] : to) CHECK(n == 2);
  }
}

TEST_CASE("partition assignment: too few live brokers is not_enough_brokers") {
  CHECK(assign_partitions({}, 1, 1).error() == make_error_code(ClusterErrc::not_enough_brokers));
  CHECK(assign_partitions({1, 2}, 1, 3).error() == make_error_code(ClusterErrc::not_enough_brokers));
  CHECK(assign_partitions({1, 1, 1}, 1, 2).error() == make_error_code(ClusterErrc::not_enough_brokers));
  CHECK(is_retriable(make_error_code(ClusterErrc::not_enough_brokers)));
}

}  // namespace strata::cluster
