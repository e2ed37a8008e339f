// plan_descriptors: what fits an open-file limit, without a process.
#include <doctest/doctest.h>

#include "broker/net/descriptor_budget.h"

namespace strata::broker {

namespace {
BrokerConfig two_shards() {
  BrokerConfig c;
  c.shards = 2;
  return c;  // file.cache.size 1024, max.connections 10000
}
}  // namespace

TEST_CASE("descriptor budget: settings that fit are kept") {
  const BrokerConfig c = two_shards();
  const DescriptorPlan plan = plan_descriptors(c, 20'000, 10);
  CHECK_FALSE(plan.lowered);
  CHECK(plan.error.empty());
  CHECK(plan.needed == 2 * 1024 + 10'000 + descriptor_reserve(2, 10));
  CHECK(plan.file_cache_size == 1024);
  CHECK(plan.max_connections == 10'000);
}

TEST_CASE("descriptor budget: a short limit lowers the caches and connections to fit it exactly") {
  const BrokerConfig c = two_shards();
  const DescriptorPlan plan = plan_descriptors(c, 1024, 10);
  CHECK(plan.lowered);
  const std::uint64_t room = 1024 - descriptor_reserve(2, 10);
  CHECK(plan.file_cache_size == room / 4);
  CHECK(std::uint64_t{plan.file_cache_size} * 2 + plan.max_connections + plan.reserve <= 1024);
  CHECK(plan.max_connections == room - 2 * (room / 4));
}

TEST_CASE("descriptor budget: a cache smaller than its share is kept, connections take the rest") {
  BrokerConfig c = two_shards();
  c.file_cache_size = 16;
  const DescriptorPlan plan = plan_descriptors(c, 1024, 10);
  CHECK(plan.lowered);
  CHECK(plan.file_cache_size == 16);
  CHECK(plan.max_connections == 1024 - descriptor_reserve(2, 10) - 32);
}

TEST_CASE("descriptor budget: a limit below the minimums is an error naming the fix") {
  const DescriptorPlan plan = plan_descriptors(two_shards(), 100, 10);
  CHECK(plan.error.find("LimitNOFILE=") != std::string::npos);
}

}  // namespace strata::broker
