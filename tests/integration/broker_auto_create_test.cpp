// Integration test of --auto-create-topics: a topic is created on its first
// produce, also when several producers race to create it.
#include <doctest/doctest.h>

#include <cstdint>
#include <exception>
#include <latch>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/broker_api_test_util.h"

namespace strata::it {

TEST_CASE("broker: --auto-create-topics creates a topic on its first produce, also under concurrency") {
  BrokerFixture f({"--auto-create-topics", "true", "--partitions", "3"});
  auto c = f.client();
  const std::int64_t t0 = now_ms();
  const auto records = make_records("auto", 0, 2, t0);
  const auto batch = make_batch(records);

  // One producer: created with the default partition count, appended to.
  const auto first = c->produce("auto-one", 2, batch);
  CHECK(first.error == ErrorCode::none);
  CHECK(first.base_offset == 0);
  const auto md = c->metadata({"auto-one"});
  REQUIRE(md.topics.size() == 1);
  CHECK(md.topics[0].error == ErrorCode::none);
  CHECK(md.topics[0].partitions.size() == 3);
  check_records(decode_batches(c->fetch_one("auto-one", 2, 0).records).records, 0, records);
  // Invalid names are never created; fetches do not create.
  CHECK(c->produce("../auto", 0, batch).error == ErrorCode::invalid_topic);
  CHECK(c->fetch_one("auto-fetch", 0, 0).error == ErrorCode::unknown_topic);
  CHECK(c->metadata({"auto-fetch"}).topics.at(0).error == ErrorCode::unknown_topic);

  // Eight producers, connected first, all produce to one new topic at once:
  // every one of them is appended.
  constexpr int kClients = 8;
  std::vector<std::unique_ptr<WireClient>> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(f.client());
  std::vector<protocol::ProducePartitionResult> results(kClients);
  std::vector<std::string> failures(kClients);
  std::latch go(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      try {
        go.arrive_and_wait();
        results[i] = clients[i]->produce("auto-many", 0, batch);
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::uint64_t> bases;
  for (int i = 0; i < kClients; ++i) {
    CAPTURE(i);
    CHECK(failures[i].empty());
    CHECK_MESSAGE(results[i].error == ErrorCode::none, results[i].message);
    if (results[i].error == ErrorCode::none) bases.insert(results[i].base_offset);
  }
  CHECK(bases.size() == static_cast<std::size_t>(kClients));
  const auto many = c->metadata({"auto-many"});
  REQUIRE(many.topics.size() == 1);
  CHECK(many.topics[0].partitions.size() == 3);
  CHECK(c->list_offset("auto-many", 0, protocol::kLatestTimestamp).offset == 2 * kClients);
}

}  // namespace strata::it
