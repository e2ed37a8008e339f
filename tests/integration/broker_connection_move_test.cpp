// Integration tests of connections moving to the shard their partitions
// live on (broker/connection.h), against a real strata-broker process with
// two shards and a topic whose partitions 0 and 1 live on different shards:
// a connection producing to one partition at a time moves (once per change
// of partition) and loses no request, not even bytes of the next request
// received just before the move; a connection whose requests span both
// shards never moves; a long poll on a moved connection is still woken; a
// moved connection keeps exactly one place in max.connections.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/integration/broker_api_test_util.h"

namespace strata::it {

namespace {

constexpr std::string_view kMoved = "moves to shard";

// The broker's log lines that report a move, once they stop growing.
std::size_t moves_logged(const BrokerProcess& broker) {
  std::size_t seen = broker.count_log(kMoved);
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::size_t now = broker.count_log(kMoved);
    if (now == seen) return now;
    seen = now;
  }
}

// Produces `count` one-record batches to `partition`, one request at a time.
void produce_one_by_one(WireClient& c, const std::string& topic, std::uint32_t partition, int count) {
  for (int i = 0; i < count; ++i) {
    const auto batch = make_batch(make_records(topic, static_cast<std::uint64_t>(i), 1, now_ms()));
    REQUIRE(c.produce(topic, partition, batch).error == ErrorCode::none);
  }
}

}  // namespace

TEST_CASE("broker: a connection follows its partition's shard and keeps bytes received before a move") {
  BrokerFixture f({"--log-level", "debug"});
  auto c = f.client();
  REQUIRE(c->create_topic("mv", 2).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();

  // Three phases of 12 requests each, to partition 0, 1 and 0: whichever
  // shard the connection starts on, at least two phases use the other one.
  const std::vector<std::uint32_t> phases = {0, 1, 0};
  constexpr int kPerPhase = 12;
  std::vector<std::vector<std::uint8_t>> frames;
  std::vector<std::uint32_t> ids;
  std::vector<std::uint32_t> partition_of;
  std::vector<std::vector<std::uint8_t>> batches;
  std::vector<std::vector<Rec>> written(2);
  for (const std::uint32_t p : phases) {
    for (int i = 0; i < kPerPhase; ++i) {
      auto records = make_records("mv" + std::to_string(p), written[p].size(), 3, t0);
      written[p].insert(written[p].end(), records.begin(), records.end());
      batches.push_back(make_batch(records));
      ids.push_back(c->next_correlation());
      frames.push_back(WireClient::request_frame(ApiKey::produce, ids.back(),
                                                 produce_request("mv", p, batches.back(), Acks::leader)));
      partition_of.push_back(p);
    }
  }

  // Each write carries the rest of one request and the first two bytes of
  // the next, so whenever the broker moves the connection (after answering
  // a request, between frames) it holds part of a size prefix it must carry.
  std::vector<std::uint64_t> next_offset(2, 0);
  constexpr std::size_t kSplit = 2;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    std::vector<std::uint8_t> wire(frames[i].begin() + (i == 0 ? 0 : kSplit), frames[i].end());
    if (i + 1 < frames.size()) wire.insert(wire.end(), frames[i + 1].begin(), frames[i + 1].begin() + kSplit);
    c->send_bytes(wire);
    const auto reply = WireClient::decode_reply<protocol::ProduceResponse>(WireClient::expect_ok(c->read_frame(), ids[i]));
    REQUIRE(reply.topics.size() == 1);
    REQUIRE(reply.topics[0].partitions.size() == 1);
    const auto& result = reply.topics[0].partitions[0];
    CHECK(result.error == ErrorCode::none);
    CHECK(result.partition == partition_of[i]);
    CHECK(result.base_offset == next_offset[partition_of[i]]);
    next_offset[partition_of[i]] += 3;
  }

  // One move per phase on the other shard: two or three.
  const std::size_t moves = moves_logged(*f.broker);
  INFO(f.broker->log_text());
  CHECK(moves >= 2);
  CHECK(moves <= 3);

  for (std::uint32_t p = 0; p < 2; ++p) {
    const auto got = read_partition(*c, "mv", p);
    REQUIRE(got.size() == written[p].size());
    std::uint64_t offset = 0;
    for (const auto& [at, rec] : got) {
      CHECK(at == offset);
      CHECK(rec == written[p][offset]);
      ++offset;
    }
  }
}

TEST_CASE("broker: a connection whose requests span shards stays where it is") {
  BrokerFixture f({"--log-level", "debug"});
  auto c = f.client();
  REQUIRE(c->create_topic("span", 2).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();
  std::vector<std::vector<std::uint8_t>> batches;
  for (int i = 0; i < 30; ++i) {
    protocol::ProduceRequest request;
    request.acks = Acks::leader;
    auto& topic = request.topics.emplace_back();
    topic.name = "span";
    for (std::uint32_t p = 0; p < 2; ++p) {
      batches.push_back(make_batch(make_records("span", static_cast<std::uint64_t>(i), 1, t0)));
      topic.partitions.push_back({p, batches.back()});
    }
    const auto reply = c->produce(request);
    REQUIRE(reply.topics.size() == 1);
    for (const auto& result : reply.topics[0].partitions) {
      CHECK(result.error == ErrorCode::none);
      CHECK(result.base_offset == static_cast<std::uint64_t>(i));
    }
    // Metadata names partitions but appends nothing: it must not reset or
    // count, and neither must a request to no known partition.
    (void)c->metadata({"span"});
  }
  CHECK(moves_logged(*f.broker) == 0);
}

TEST_CASE("broker: a long poll on a moved connection is woken by a produce elsewhere") {
  BrokerFixture f({"--log-level", "debug"});
  auto consumer = f.client();
  auto producer = f.client();
  REQUIRE(consumer->create_topic("lp", 2).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();
  for (std::uint32_t p = 0; p < 2; ++p) {
    // Enough empty fetches of p for the consumer to settle on p's shard.
    for (int i = 0; i < 12; ++i) CHECK(consumer->fetch_one("lp", p, 0).error == ErrorCode::none);
    const auto started = Clock::now();
    const std::uint32_t id = consumer->send(ApiKey::fetch, fetch_request("lp", p, 0, 10000));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto records = make_records("lp" + std::to_string(p), 0, 2, t0);
    REQUIRE(producer->produce("lp", p, make_batch(records)).error == ErrorCode::none);
    const ResponseFrame frame = consumer->read_frame();  // the reply's records point into it
    const auto reply = WireClient::decode_reply<protocol::FetchResponse>(WireClient::expect_ok(frame, id));
    CHECK(ms_since(started) < 5000);
    REQUIRE(reply.topics.size() == 1);
    REQUIRE(reply.topics[0].partitions.size() == 1);
    CHECK(reply.topics[0].partitions[0].header.error == ErrorCode::none);
    check_records(decode_batches(reply.topics[0].partitions[0].records).records, 0, records);
  }
  // The consumer moved to at least one of the two shards.
  CHECK(moves_logged(*f.broker) >= 1);
}

}  // namespace strata::it

namespace strata::it {

TEST_CASE("broker: a moved connection holds exactly one place in max.connections") {
  BrokerFixture f({"--log-level", "debug", "--max-connections", "2"});
  auto moving = f.client();
  REQUIRE(moving->create_topic("count", 2).error == ErrorCode::none);
  produce_one_by_one(*moving, "count", 0, 12);
  produce_one_by_one(*moving, "count", 1, 12);
  REQUIRE(moves_logged(*f.broker) >= 1);

  // Counted twice, this second client would be refused; not counted, the
  // third would get in.
  auto second = f.client();
  CHECK(second->api_versions().apis.size() == protocol::kApiKeyCount);
  WireClient third(f.broker->port());
  const std::uint32_t id = third.send(ApiKey::api_versions, protocol::ApiVersionsRequest{});
  const ResponseFrame refused = third.read_frame();
  CHECK(refused.header.correlation_id == id);
  CHECK(refused.header.error == ErrorCode::too_many_connections);
  // And the moved one still works.
  produce_one_by_one(*moving, "count", 1, 2);
}

}  // namespace strata::it
