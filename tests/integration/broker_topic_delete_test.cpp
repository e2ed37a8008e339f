// Integration tests of deleting a topic while clients use it (issue 25
// items 2 and 3): requests caught by the deletion get UNKNOWN_TOPIC, and a
// deletion under acks=durable load marks no partition failed.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "protocol/record.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using protocol::Acks;
using protocol::ApiKey;
using protocol::ErrorCode;

// The partition results of a fetch response, one partition asked for.
protocol::FetchPartitionHeader only_partition(const FetchReply& reply) {
  REQUIRE(reply.response.topics.size() == 1);
  REQUIRE(reply.response.topics[0].partitions.size() == 1);
  return reply.response.topics[0].partitions[0].header;
}

}  // namespace

// Item 3: a fetch long-polling at the log end when its topic is deleted was
// answered UNKNOWN_PARTITION ("the topic has fewer partitions: refresh
// metadata"), which sends a client looking for the wrong thing.
TEST_CASE("broker topic delete: a long poll caught by the deletion gets UNKNOWN_TOPIC") {
  BrokerFixture f;
  auto admin = f.client();
  REQUIRE(admin->create_topic("f2", 2).error == ErrorCode::none);
  REQUIRE(admin->produce("f2", 1, make_batch(make_records("f2", 0, 3, now_ms()))).error == ErrorCode::none);

  auto polling = f.client();
  polling->set_timeout(15s);
  const std::uint32_t id = polling->send(ApiKey::fetch, fetch_request("f2", 1, 3, 10000));
  std::this_thread::sleep_for(200ms);  // the fetch is waiting at the log end
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(admin->delete_topic("f2").error == ErrorCode::none);
  const ResponseFrame frame = WireClient::expect_ok(polling->read_frame(), id);
  CHECK(std::chrono::steady_clock::now() - started < 5s);  // woken, not timed out
  FetchReply reply{frame, WireClient::decode_reply<protocol::FetchResponse>(frame)};
  CHECK(only_partition(reply).error == ErrorCode::unknown_topic);
  // After the deletion every request says the same.
  CHECK(polling->list_offset("f2", 0, protocol::kLatestTimestamp).error == ErrorCode::unknown_topic);
  CHECK(polling->fetch_one("f2", 1, 0).error == ErrorCode::unknown_topic);
}

// Item 2: with acks=durable producers running, deleting the topic let its
// close() and an in-flight group commit both write checkpoint.sync.tmp; the
// loser's rename failed with ENOENT, the partition was marked read-only
// ("fsync failed") and producers got STORAGE_ERROR "not durable".
TEST_CASE("broker topic delete: deleting under acks=durable load gives producers UNKNOWN_TOPIC, fails no partition") {
  BrokerFixture f;  // two shards
  constexpr int kCycles = 40;
  constexpr int kProducers = 3;
  std::atomic<bool> done{false};
  std::mutex mu;
  std::map<ErrorCode, int> seen;  // error code -> count, over all producers
  std::vector<std::string> unexpected;
  std::vector<std::thread> producers;
  // A failed REQUIRE below must report, not abort the binary with joinable
  // threads (it did once, as "Subprocess aborted", on a loaded machine).
  struct JoinAll {
    std::atomic<bool>& done;
    std::vector<std::thread>& threads;
    ~JoinAll() {
      done = true;
      for (auto& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } join_all{done, producers};
  for (int t = 0; t < kProducers; ++t) {
    producers.emplace_back([&, t] {
      try {
        auto c = f.client();
        std::uint64_t id = 0;
        while (!done.load()) {
          const auto p = static_cast<std::uint32_t>(id % 3);
          const auto r = c->produce(
              "dd", p, make_batch(make_records("dd" + std::to_string(t), id++, 5, now_ms(), 300)), Acks::durable);
          std::lock_guard lock(mu);
          ++seen[r.error];
          if (r.error != ErrorCode::none && r.error != ErrorCode::unknown_topic && unexpected.size() < 5) {
            unexpected.push_back(std::string(protocol::error_info(r.error).name) + ": " + r.message);
          }
        }
      } catch (const std::exception& e) {  // e.g. a reply slower than the client's timeout
        std::lock_guard lock(mu);
        unexpected.push_back(std::string("producer thread: ") + e.what());
      }
    });
  }
  auto admin = f.client();
  for (int i = 0; i < kCycles; ++i) {
    // Small segments: nearly every append rolls one, so nearly every group
    // commit writes a checkpoint, as close() does.
    // The last deletion may still be removing files (TOPIC_BEING_DELETED).
    ErrorCode created = ErrorCode::topic_being_deleted;
    for (int tries = 0; tries < 1000 && created == ErrorCode::topic_being_deleted; ++tries) {
      created = admin->create_topic("dd", 3, {{"segment.bytes", "1024"}}).error;
      if (created == ErrorCode::topic_being_deleted) std::this_thread::sleep_for(10ms);
    }
    REQUIRE(created == ErrorCode::none);
    std::this_thread::sleep_for(30ms);  // producers append and wait for group commits
    REQUIRE(admin->delete_topic("dd").error == ErrorCode::none);
  }
  done = true;
  for (auto& t : producers) t.join();
  std::string errors;
  for (const auto& u : unexpected) errors += u + "\n";
  INFO("errors other than UNKNOWN_TOPIC:\n" << errors);
  CHECK(seen[ErrorCode::none] > 0);  // the load did reach the topic
  CHECK(seen[ErrorCode::unknown_topic] > 0);
  CHECK(unexpected.empty());
  INFO(f.broker->log_text());
  CHECK(f.broker->count_log("read-only") == 0);
  CHECK(f.broker->count_log("fsync failed") == 0);
  CHECK(f.broker->count_log("WARN") == 0);
  CHECK(f.broker->count_log("ERROR") == 0);
}

}  // namespace strata::it
