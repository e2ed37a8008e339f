// FetchBudget: the KIP-74 rule and the frame limit, without a broker.
#include <doctest/doctest.h>

#include "broker/core/fetch_budget.h"
#include "broker/native/fetch_api.h"

namespace strata::broker {

TEST_CASE("fetch budget: the first non-empty read may pass max_bytes, later ones must fit what is left") {
  FetchBudget b(100, 50, 1u << 20);
  CHECK(b.want(1u << 20) == 100);
  CHECK(b.take(0));       // an empty partition takes nothing
  CHECK(b.take(400));     // the first batch: kept over the budget
  CHECK(b.want(1u << 20) == 1);  // nothing left, but the read still reports the log's ends
  CHECK_FALSE(b.take(1));
  CHECK(b.taken() == 400);
}

TEST_CASE("fetch budget: reads are kept while they fit, a partition's own max_bytes caps its read") {
  FetchBudget b(1000, 50, 1u << 20);
  CHECK(b.want(300) == 300);
  CHECK(b.take(300));
  CHECK(b.want(5000) == 700);
  CHECK_FALSE(b.take(800));
  CHECK(b.take(700));
  CHECK(b.taken() == 1000);
}

TEST_CASE("fetch budget: the frame limit bounds even the first batch and a huge max_bytes") {
  FetchBudget b(0xFFFFFFFFu, 100, 1100);  // room for 1000 record bytes
  CHECK(b.want(0xFFFFFFFFu) == 1000);
  CHECK_FALSE(b.take(1001));
  CHECK(b.taken() == 0);
  CHECK(b.take(600));
  CHECK_FALSE(b.take(401));
  CHECK(b.take(400));
  CHECK(FetchBudget::fits(100, 1100));
  CHECK_FALSE(FetchBudget::fits(1100, 1100));
}

TEST_CASE("fetch budget: the overhead counts every topic name and partition header") {
  protocol::FetchRequest request;
  request.topics.push_back({"abc", {{0, 0, 1}, {1, 0, 1}}});
  request.topics.push_back({"", {}});
  // prefix, correlation id, error, topic count; then per topic its name and
  // count, and 26 bytes per partition.
  CHECK(fetch_response_overhead(request) == 4 + 4 + 2 + 4 + (2 + 3 + 4 + 2 * 26) + (2 + 0 + 4));
}

}  // namespace strata::broker
