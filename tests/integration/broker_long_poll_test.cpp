// Integration test of long-poll fetches: woken by a produce on another
// connection, or answered empty after max_wait_ms, against a real
// strata-broker process.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>

#include "tests/integration/broker_api_test_util.h"

namespace strata::it {
namespace {

using protocol::ApiKey;
using protocol::ErrorCode;

}  // namespace

TEST_CASE("broker: long-poll fetch is woken by a produce on another connection, or times out empty") {
  BrokerFixture f;
  auto producer = f.client();
  REQUIRE(producer->create_topic("poll", 2).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();
  REQUIRE(producer->produce("poll", 1, make_batch(make_records("old", 0, 3, t0))).error == ErrorCode::none);

  auto consumer = f.client();
  {
    // Wait at the log end of both partitions, for up to 10 s.
    protocol::FetchRequest req;
    req.max_wait_ms = 10000;
    req.min_bytes = 1;
    req.topics.push_back({"poll", {{0, 0, 1 << 20}, {1, 3, 1 << 20}}});
    const auto sent_at = Clock::now();
    const std::uint32_t id = consumer->send(ApiKey::fetch, req);
    ResponseFrame early;
    CHECK(consumer->read_frame(early, 200ms) == ReadOutcome::timeout);  // it waits

    const auto fresh = make_records("new", 3, 2, t0 + 1000);
    const auto produced = producer->produce("poll", 1, make_batch(fresh));
    REQUIRE(produced.error == ErrorCode::none);
    CHECK(produced.base_offset == 3);
    const auto produced_at = Clock::now();

    ResponseFrame frame;
    REQUIRE(consumer->read_frame(frame, 5000ms) == ReadOutcome::frame);
    const auto answer_after_produce = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - produced_at);
    CHECK(answer_after_produce.count() < 2000);
    CHECK(ms_since(sent_at) < 3000);  // far below max_wait_ms
    (void)WireClient::expect_ok(frame, id);
    const auto fr = WireClient::decode_reply<protocol::FetchResponse>(frame);
    REQUIRE(fr.topics.size() == 1);
    REQUIRE(fr.topics[0].partitions.size() == 2);
    const auto& p0 = fr.topics[0].partitions[0];
    const auto& p1 = fr.topics[0].partitions[1];
    CHECK(p0.header.partition == 0);
    CHECK(p0.header.error == ErrorCode::none);
    CHECK(p0.records.empty());
    CHECK(p1.header.partition == 1);
    CHECK(p1.header.error == ErrorCode::none);
    CHECK(p1.header.log_end == 5);
    const auto d = decode_batches(p1.records);
    REQUIRE(d.batches.size() == 1);
    check_records(d.records, 3, fresh);
  }
  {
    // Nothing arrives: answered empty after about max_wait_ms.
    const auto sent_at = Clock::now();
    const std::uint32_t id = consumer->send(ApiKey::fetch, fetch_request("poll", 0, 0, 1000));
    ResponseFrame frame;
    REQUIRE(consumer->read_frame(frame, 5000ms) == ReadOutcome::frame);
    const auto waited = ms_since(sent_at);
    CHECK(waited >= 950);
    CHECK(waited < 3000);
    (void)WireClient::expect_ok(frame, id);
    const auto fr = WireClient::decode_reply<protocol::FetchResponse>(frame);
    REQUIRE(fr.topics.size() == 1);
    REQUIRE(fr.topics[0].partitions.size() == 1);
    CHECK(fr.topics[0].partitions[0].header.error == ErrorCode::none);
    CHECK(fr.topics[0].partitions[0].header.log_end == 0);
    CHECK(fr.topics[0].partitions[0].records.empty());
  }
  // The connection is still fine after both long polls.
  CHECK(consumer->api_versions().apis.size() == 9);
}

}  // namespace strata::it
