// The README's cluster figure for topic creation (issue 17): 1,000 topics
// of one partition created one after another through one broker of three.
// Runs only with STRATA_CLUSTER_FIGURES=1 (it takes a while; it measures,
// it does not check a bound).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "tests/integration/broker_cluster_fixture.h"

namespace strata::it {

TEST_CASE("figure: time to create 1,000 topics in cluster mode") {
  if (!etcd_installed() || std::getenv("STRATA_CLUSTER_FIGURES") == nullptr) return;
  ThreeBrokers c;
  auto w = c.client(1);
  const auto t0 = std::chrono::steady_clock::now();
  int failed = 0;
  for (int i = 0; i < 1000; ++i) {
    if (w->create_topic("t" + std::to_string(i), 1).error != protocol::ErrorCode::none) ++failed;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  CHECK(failed == 0);
  std::cout << "created 1000 topics (1 partition each) through broker 1 of 3 in " << ms << " ms\n";
}

}  // namespace strata::it
