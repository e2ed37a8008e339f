// Integration tests of requests that queue and wait on a connection, against
// a real strata-broker process: many pipelined requests in one write are
// answered in order (a long poll among them woken by a produce behind it),
// and a long-poll fetch is woken by a produce on another connection or times
// out empty; and requests of every size around the broker's read buffer, in
// one stream cut at odd places, are each read whole.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "tests/integration/broker_api_test_util.h"

namespace strata::it {

TEST_CASE("broker: pipelined requests are answered in order") {
  BrokerFixture f;
  auto setup = f.client();
  REQUIRE(setup->create_topic("pipe", 1).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();

  // 50 mixed requests in one write; the model says what each must answer.
  enum class Kind { versions, produce, metadata, latest, produce_none, fetch, describe, long_poll };
  struct Sent {
    std::uint32_t id;
    Kind kind;
    std::uint64_t expect;  // produce: base offset; long_poll: the offset waited at
  };
  std::vector<Sent> sent;
  std::vector<std::vector<std::uint8_t>> batches;  // kept alive for their views
  std::vector<std::uint8_t> wire;
  std::uint64_t end = 0;
  std::uint32_t id = 500;
  for (int i = 0; i < 50; ++i) {
    Kind kind = static_cast<Kind>(i % 7);
    if (i == 20) kind = Kind::long_poll;  // woken by the produce at i == 22
    std::vector<std::uint8_t> frame;
    std::uint64_t expect = 0;
    switch (kind) {
      case Kind::versions:
        frame = WireClient::request_frame(ApiKey::api_versions, id, protocol::ApiVersionsRequest{});
        break;
      case Kind::produce:
      case Kind::produce_none: {
        batches.push_back(make_batch(make_records("pipe", end, 2, t0 + i)));
        const Acks acks = kind == Kind::produce ? Acks::leader : Acks::none;
        frame = WireClient::request_frame(ApiKey::produce, id, produce_request("pipe", 0, batches.back(), acks));
        expect = end;
        end += 2;
        break;
      }
      case Kind::metadata:
        frame = WireClient::request_frame(ApiKey::metadata, id, protocol::MetadataRequest{{"pipe"}});
        break;
      case Kind::latest:
        frame = WireClient::request_frame(ApiKey::list_offsets, id,
                                          list_offsets_request("pipe", 0, protocol::kLatestTimestamp));
        break;
      case Kind::fetch:
        frame = WireClient::request_frame(ApiKey::fetch, id, fetch_request("pipe", 0, 0, 0));
        break;
      case Kind::describe:
        frame = WireClient::request_frame(ApiKey::describe_configs, id, protocol::TopicRequest{"pipe"});
        break;
      case Kind::long_poll:
        frame = WireClient::request_frame(ApiKey::fetch, id, fetch_request("pipe", 0, end, 5000));
        expect = end;
        break;
    }
    wire.insert(wire.end(), frame.begin(), frame.end());
    sent.push_back({id, kind, expect});
    id += 7;  // not consecutive: the broker must echo, not count
  }

  auto c = f.client();
  const auto started = Clock::now();
  c->send_bytes(wire);
  std::uint64_t last_latest = 0;
  for (const Sent& s : sent) {
    if (s.kind == Kind::produce_none) continue;  // never answered
    CAPTURE(s.id);
    CAPTURE(static_cast<int>(s.kind));
    const ResponseFrame frame = c->read_frame();
    REQUIRE(frame.header.correlation_id == s.id);
    REQUIRE(frame.header.error == ErrorCode::none);
    switch (s.kind) {
      case Kind::versions:
        CHECK(WireClient::decode_reply<protocol::ApiVersionsResponse>(frame).apis.size() == protocol::kApiKeyCount);
        break;
      case Kind::produce: {
        const auto res = WireClient::decode_reply<protocol::ProduceResponse>(frame);
        REQUIRE(res.topics.size() == 1);
        REQUIRE(res.topics[0].partitions.size() == 1);
        CHECK(res.topics[0].partitions[0].error == ErrorCode::none);
        // Requests on one connection are applied in order (as in Kafka).
        CHECK(res.topics[0].partitions[0].base_offset == s.expect);
        break;
      }
      case Kind::metadata: {
        const auto md = WireClient::decode_reply<protocol::MetadataResponse>(frame);
        REQUIRE(md.topics.size() == 1);
        CHECK(md.topics[0].name == "pipe");
        break;
      }
      case Kind::latest: {
        const auto lo = WireClient::decode_reply<protocol::ListOffsetsResponse>(frame);
        REQUIRE(lo.topics.size() == 1);
        REQUIRE(lo.topics[0].partitions.size() == 1);
        const auto offset = static_cast<std::uint64_t>(lo.topics[0].partitions[0].offset);
        CHECK(offset >= last_latest);
        CHECK(offset <= end);
        last_latest = offset;
        break;
      }
      case Kind::fetch: {
        const auto fr = WireClient::decode_reply<protocol::FetchResponse>(frame);
        REQUIRE(fr.topics.size() == 1);
        REQUIRE(fr.topics[0].partitions.size() == 1);
        CHECK(fr.topics[0].partitions[0].header.error == ErrorCode::none);
        const auto d = decode_batches(fr.topics[0].partitions[0].records);
        REQUIRE(!d.records.empty());
        CHECK(d.records[0].offset == 0);
        break;
      }
      case Kind::describe:
        CHECK(WireClient::decode_reply<protocol::DescribeConfigsResponse>(frame).error == ErrorCode::none);
        break;
      case Kind::long_poll: {
        const auto fr = WireClient::decode_reply<protocol::FetchResponse>(frame);
        REQUIRE(fr.topics.size() == 1);
        REQUIRE(fr.topics[0].partitions.size() == 1);
        CHECK(fr.topics[0].partitions[0].header.error == ErrorCode::none);
        const auto d = decode_batches(fr.topics[0].partitions[0].records);
        REQUIRE(!d.records.empty());
        CHECK(d.records[0].offset == s.expect);  // the data a later pipelined produce appended
        break;
      }
      case Kind::produce_none: break;
    }
  }
  // The long poll was woken by the produce behind it, not by its 5 s timeout.
  CHECK(ms_since(started) < 4000);
  // Nothing more: acks=none produces sent nothing.
  ResponseFrame extra;
  CHECK(c->read_frame(extra, 300ms) == ReadOutcome::timeout);
  CHECK(c->list_offset("pipe", 0, protocol::kLatestTimestamp).offset == static_cast<std::int64_t>(end));
}

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
  CHECK(consumer->api_versions().apis.size() == protocol::kApiKeyCount);
}


// The broker receives requests through a 16 KiB staging buffer: frames that
// fit it, frames just across its edge and far larger ones, all in one
// stream cut into pieces that never line up with a frame, must each be
// read whole and in order.
TEST_CASE("broker: requests of every size around the read buffer, in one stream cut at odd places") {
  BrokerFixture f;
  auto setup = f.client();
  REQUIRE(setup->create_topic("edges", 1).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();
  // Value sizes giving batches below, at and above 16 KiB, and 900 KiB (under max.message.bytes).
  const std::size_t value_sizes[] = {10, 16 * 1024 - 200, 16 * 1024, 16 * 1024 + 100, 1000, 900 * 1024, 3, 40 * 1024};
  std::vector<std::uint8_t> wire;
  std::vector<std::vector<Rec>> sent;
  std::uint64_t end = 0;
  std::uint32_t id = 900;
  for (std::size_t value_size : value_sizes) {
    sent.push_back(make_records("edges", end, 1, t0, value_size));
    const auto batch = make_batch(sent.back());
    const auto frame = WireClient::request_frame(ApiKey::produce, id++, produce_request("edges", 0, batch, Acks::leader));
    wire.insert(wire.end(), frame.begin(), frame.end());
    ++end;
  }
  auto c = f.client();
  const std::size_t pieces[] = {1, 3, 7, 4093, 16 * 1024 + 1, 65537};
  std::size_t at = 0;
  for (std::size_t n = 0; at < wire.size(); ++n) {
    const std::size_t len = std::min(pieces[n % std::size(pieces)], wire.size() - at);
    c->send_bytes(protocol::Bytes(wire).subspan(at, len));
    at += len;
  }
  for (std::uint64_t i = 0; i < end; ++i) {
    CAPTURE(i);
    const auto res = WireClient::decode_reply<protocol::ProduceResponse>(WireClient::expect_ok(c->read_frame(), 900 + static_cast<std::uint32_t>(i)));
    REQUIRE(res.topics.size() == 1);
    REQUIRE(res.topics[0].partitions.size() == 1);
    CHECK(res.topics[0].partitions[0].error == ErrorCode::none);
    CHECK(res.topics[0].partitions[0].base_offset == i);
  }
  std::uint64_t next = 0;
  while (next < end) {
    const auto d = decode_batches(c->fetch_one("edges", 0, next, 4u << 20).records);
    REQUIRE(!d.records.empty());
    for (const auto& r : d.records) {
      REQUIRE(r.offset == next);
      CHECK(r.rec == sent[next][0]);
      ++next;
    }
  }
}

// The responses ready before a request that ends the connection are all
// written, in order, then its error, then the close: none is dropped from
// the batch the broker writes at once.
TEST_CASE("broker: pipelined requests before an oversized frame are all answered before the close") {
  BrokerFixture f({"--max-frame-bytes", "4096"});
  auto setup = f.client();
  REQUIRE(setup->create_topic("last", 1).error == ErrorCode::none);
  const auto batch = make_batch(make_records("last", 0, 1, now_ms()));
  std::vector<std::uint8_t> wire;
  for (std::uint32_t id = 1; id <= 10; ++id) {
    const auto frame = id % 2 == 0
                           ? WireClient::request_frame(ApiKey::produce, id, produce_request("last", 0, batch, Acks::leader))
                           : WireClient::request_frame(ApiKey::api_versions, id, protocol::ApiVersionsRequest{});
    wire.insert(wire.end(), frame.begin(), frame.end());
  }
  const auto oversized = frame_head(4097, 6, 99);
  wire.insert(wire.end(), oversized.begin(), oversized.end());
  auto c = f.client();
  c->send_bytes(wire);
  std::uint64_t offset = 0;
  for (std::uint32_t id = 1; id <= 10; ++id) {
    CAPTURE(id);
    const ResponseFrame frame = c->read_frame();
    REQUIRE(frame.header.correlation_id == id);
    REQUIRE(frame.header.error == ErrorCode::none);
    if (id % 2 == 0) {
      const auto res = WireClient::decode_reply<protocol::ProduceResponse>(frame);
      CHECK(res.topics.at(0).partitions.at(0).base_offset == offset++);
    }
  }
  const ResponseFrame error = c->read_frame();
  CHECK(error.header.correlation_id == 99);
  CHECK(error.header.error == ErrorCode::frame_too_large);
  CHECK(c->wait_closed(3000ms));
}

}  // namespace strata::it
