// Integration tests of the idempotent producer against a real strata-broker
// process, in raw frames: a resent batch (same producer id, base sequence
// and record count) is answered with its first offset and not appended, also
// after a clean restart and a kill -9; a sequence gap is
// OUT_OF_ORDER_SEQUENCE; two pipelined Produce requests of one producer are
// applied in request order at every partition; a batch without a producer
// id is appended each time it is sent.
#include <doctest/doctest.h>

#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/batch_builder.h"
#include "tests/integration/broker_api_test_util.h"

namespace strata::it {
namespace {

// A batch of `records` carrying producer `id` from sequence `seq`.
std::vector<std::uint8_t> idempotent_batch(const std::vector<Rec>& records, std::int64_t id, std::int32_t seq) {
  protocol::BatchBuilder builder;
  builder.set_producer(id, 0, seq);
  for (const auto& r : records) builder.add(r.timestamp, protocol::as_bytes(r.key), protocol::as_bytes(r.value));
  return builder.finish();
}

std::uint64_t latest(WireClient& c, const std::string& topic, std::uint32_t p) {
  return static_cast<std::uint64_t>(c.list_offset(topic, p, protocol::kLatestTimestamp).offset);
}

std::uint64_t metadata_log_end(WireClient& c, const std::string& topic, std::uint32_t p) {
  const auto md = c.metadata({topic});
  REQUIRE(md.topics.size() == 1);
  REQUIRE(md.topics[0].partitions.size() > p);
  return md.topics[0].partitions[p].log_end;
}

// Sends `batch` and checks it is answered as a duplicate of the append at `base`.
void check_duplicate(WireClient& c, const std::string& topic, const std::vector<std::uint8_t>& batch,
                     std::uint64_t base, std::uint64_t end) {
  const auto again = c.produce(topic, 0, batch);
  CHECK(again.error == ErrorCode::none);
  CHECK(again.message.empty());
  CHECK(again.base_offset == base);
  CHECK(latest(c, topic, 0) == end);
  CHECK(metadata_log_end(c, topic, 0) == end);
}

}  // namespace

TEST_CASE("broker idempotence: a resent batch is answered with its first offset and stored once") {
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("idem", 1).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();
  // Another batch first, so the answer's offset is not trivially 0.
  REQUIRE(c->produce("idem", 0, make_batch(make_records("pre", 0, 2, t0))).error == ErrorCode::none);

  const auto records = make_records("idem", 0, 3, t0 + 1);
  const auto batch = idempotent_batch(records, 7001, 0);
  const auto first = c->produce("idem", 0, batch);
  REQUIRE(first.error == ErrorCode::none);
  CHECK(first.base_offset == 2);
  check_duplicate(*c, "idem", batch, 2, 5);

  const auto fetched = c->fetch_one("idem", 0, 2);
  REQUIRE(fetched.error == ErrorCode::none);
  const auto d = decode_batches(fetched.records);
  REQUIRE(d.batches.size() == 1);
  CHECK(d.batches[0].producer_id == 7001);
  CHECK(d.batches[0].base_sequence == 0);
  check_records(d.records, 2, records);
  CHECK(read_partition(*c, "idem", 0).size() == 5);

  // The next sequence is still accepted after the duplicate.
  const auto next = c->produce("idem", 0, idempotent_batch(make_records("idem", 3, 1, t0 + 4), 7001, 3));
  CHECK(next.error == ErrorCode::none);
  CHECK(next.base_offset == 5);
}

TEST_CASE("broker idempotence: a sequence gap is OUT_OF_ORDER_SEQUENCE and appends nothing") {
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("gap", 1).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();
  REQUIRE(c->produce("gap", 0, idempotent_batch(make_records("g", 0, 2, t0), 42, 0)).error == ErrorCode::none);

  // The producer's next sequence is 2; 3 skips a record.
  const auto gap = c->produce("gap", 0, idempotent_batch(make_records("g", 2, 2, t0 + 2), 42, 3));
  CHECK(gap.error == ErrorCode::out_of_order_sequence);
  CHECK_FALSE(gap.message.empty());
  CHECK(protocol::error_info(gap.error).retriable);
  CHECK(latest(*c, "gap", 0) == 2);
  CHECK(metadata_log_end(*c, "gap", 0) == 2);
  CHECK(read_partition(*c, "gap", 0).size() == 2);

  // The right sequence still goes in afterwards.
  const auto ok = c->produce("gap", 0, idempotent_batch(make_records("g", 2, 2, t0 + 2), 42, 2));
  CHECK(ok.error == ErrorCode::none);
  CHECK(ok.base_offset == 2);
}

TEST_CASE("broker idempotence: a resend is still a duplicate after a clean restart and after kill -9") {
  BrokerFixture f;
  {
    auto c = f.client();
    REQUIRE(c->create_topic("survive", 1).error == ErrorCode::none);
  }
  const std::int64_t t0 = now_ms();
  std::vector<std::vector<std::uint8_t>> sent;
  std::uint64_t end = 0;
  const auto produce_next = [&](WireClient& c) {
    const auto seq = static_cast<std::int32_t>(end);
    sent.push_back(idempotent_batch(make_records("s", end, 2, t0 + seq), 99, seq));
    const auto res = c.produce("survive", 0, sent.back(), Acks::durable);
    REQUIRE(res.error == ErrorCode::none);
    REQUIRE(res.base_offset == end);
    end += 2;
  };

  SUBCASE("SIGTERM") {
    {
      auto c = f.client();
      for (int i = 0; i < 3; ++i) produce_next(*c);
    }
    const ExitStatus st = f.broker->stop(SIGTERM);
    REQUIRE(st.exited);
    REQUIRE(st.code == 0);
    f.restart({"--log-level", "debug"});
    CHECK(f.broker->count_log("opened after clean shutdown") == 1);
  }
  SUBCASE("kill -9") {
    {
      auto c = f.client();
      for (int i = 0; i < 3; ++i) produce_next(*c);
    }
    const ExitStatus st = f.broker->kill9();
    REQUIRE(st.signal == SIGKILL);
    f.restart({"--log-level", "debug"});
    CHECK(f.broker->count_log("recovered: ") == 1);  // state rebuilt from the log, no snapshot
  }
  auto c = f.client();
  check_duplicate(*c, "survive", sent.back(), end - 2, end);
  // An older batch of the last five too, and the sequence still continues.
  check_duplicate(*c, "survive", sent.front(), 0, end);
  const auto gap = c->produce("survive", 0, idempotent_batch(make_records("s", end, 1, t0), 99, 7));
  CHECK(gap.error == ErrorCode::out_of_order_sequence);
  const auto next = c->produce("survive", 0,
                               idempotent_batch(make_records("s", end, 1, t0), 99, static_cast<std::int32_t>(end)));
  CHECK(next.error == ErrorCode::none);
  CHECK(next.base_offset == end);
}

// Two Produce requests of one producer in ONE write: request 1 carries
// sequence 0 at every partition, request 2 sequence 1. Each partition must
// see request 1's batch first. With --shards 2 the partitions are spread
// over both shards, so request 1 waits for a shard other than the
// connection's; if the broker read and started request 2 meanwhile (as it
// did before handle_produce started every append before its first wait),
// request 2's sequence-1 batch could reach a partition before sequence 0.
// For a producer already known there (a first batch went in beforehand),
// sequence 1 after the last batch's is then a gap: OUT_OF_ORDER_SEQUENCE for
// request 2, and request 1's sequence 0 a gap as well, or, for a fresh
// producer, offsets with request 2's batch below request 1's.
TEST_CASE("broker idempotence: pipelined produce requests keep their order at every partition") {
  BrokerFixture f;  // BrokerProcess starts it with --shards 2
  auto c = f.client();
  constexpr std::uint32_t kPartitions = 6;
  constexpr int kRounds = 50;
  REQUIRE(c->create_topic("order", kPartitions).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();

  const auto request = [&](const std::vector<std::vector<std::uint8_t>>& batches) {
    protocol::ProduceRequest r;
    r.acks = Acks::leader;
    auto& topic = r.topics.emplace_back();
    topic.name = "order";
    for (std::uint32_t p = 0; p < kPartitions; ++p) topic.partitions.push_back({p, batches[p]});
    return r;
  };
  std::vector<std::uint64_t> end(kPartitions, 0);
  for (int round = 0; round < kRounds; ++round) {
    CAPTURE(round);
    const std::int64_t id = 1000 + round;  // fresh per round: unknown at first
    // Odd rounds: the producer is known first (a batch at sequence 0), so
    // the pipelined pair carries sequences 1 and 2 and a swap is a gap.
    const std::int32_t base_seq = round % 2;
    if (base_seq == 1) {
      std::vector<std::vector<std::uint8_t>> lead;
      for (std::uint32_t p = 0; p < kPartitions; ++p) {
        lead.push_back(idempotent_batch(make_records("l", 0, 1, t0), id, 0));
      }
      const auto res = c->produce(request(lead));
      for (std::uint32_t p = 0; p < kPartitions; ++p) {
        REQUIRE(res.topics[0].partitions[p].error == ErrorCode::none);
        ++end[p];
      }
    }
    std::vector<std::vector<std::uint8_t>> one, two;
    for (std::uint32_t p = 0; p < kPartitions; ++p) {
      one.push_back(idempotent_batch(make_records("a", 0, 1, t0 + round), id, base_seq));
      two.push_back(idempotent_batch(make_records("b", 0, 1, t0 + round), id, base_seq + 1));
    }
    const std::uint32_t id1 = c->next_correlation();
    const std::uint32_t id2 = c->next_correlation();
    std::vector<std::uint8_t> wire = WireClient::request_frame(ApiKey::produce, id1, request(one));
    const auto second = WireClient::request_frame(ApiKey::produce, id2, request(two));
    wire.insert(wire.end(), second.begin(), second.end());
    c->send_bytes(wire);
    const auto r1 = WireClient::decode_reply<protocol::ProduceResponse>(WireClient::expect_ok(c->read_frame(), id1));
    const auto r2 = WireClient::decode_reply<protocol::ProduceResponse>(WireClient::expect_ok(c->read_frame(), id2));
    REQUIRE(r1.topics.size() == 1);
    REQUIRE(r2.topics.size() == 1);
    REQUIRE(r1.topics[0].partitions.size() == kPartitions);
    REQUIRE(r2.topics[0].partitions.size() == kPartitions);
    for (std::uint32_t p = 0; p < kPartitions; ++p) {
      CAPTURE(p);
      const auto& a = r1.topics[0].partitions[p];
      const auto& b = r2.topics[0].partitions[p];
      CHECK(a.error == ErrorCode::none);
      CHECK(b.error == ErrorCode::none);
      CHECK(a.base_offset == end[p]);
      CHECK(b.base_offset == end[p] + 1);
      end[p] += 2;
    }
  }
  for (std::uint32_t p = 0; p < kPartitions; ++p) CHECK(latest(*c, "order", p) == end[p]);
}

TEST_CASE("broker idempotence: a batch without a producer id is appended each time it is sent") {
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("plain", 1).error == ErrorCode::none);
  const auto records = make_records("p", 0, 2, now_ms());
  const auto batch = make_batch(records);  // producer id -1, sequence -1
  const auto first = c->produce("plain", 0, batch);
  const auto second = c->produce("plain", 0, batch);
  CHECK(first.error == ErrorCode::none);
  CHECK(second.error == ErrorCode::none);
  CHECK(first.base_offset == 0);
  CHECK(second.base_offset == 2);
  CHECK(latest(*c, "plain", 0) == 4);
  const auto stored = read_partition(*c, "plain", 0);
  REQUIRE(stored.size() == 4);
  CHECK(stored.at(0) == records[0]);
  CHECK(stored.at(2) == records[0]);
}

}  // namespace strata::it
