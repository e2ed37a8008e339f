// Integration tests of every API's happy path, pipelining and long-poll
// fetches, against a real strata-broker process spoken to in raw frames.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <latch>
#include <map>
#include <set>
#include <thread>

#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

namespace fs = std::filesystem;
using protocol::Acks;
using protocol::ApiKey;
using protocol::ErrorCode;
using Clock = std::chrono::steady_clock;

std::map<std::string, std::string> config_map(const std::vector<protocol::ConfigEntry>& entries) {
  std::map<std::string, std::string> out;
  for (const auto& e : entries) out[e.key] = e.value;
  return out;
}

long long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

// The records of `expected` starting at offset `first`, as a fetch would return them.
void check_records(const std::vector<FetchedRecord>& got, std::uint64_t first, const std::vector<Rec>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(got[i].offset == first + i);
    CHECK(got[i].rec == expected[i]);
  }
}

std::vector<Rec> concat(std::initializer_list<std::vector<Rec>> parts) {
  std::vector<Rec> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace

TEST_CASE("broker: every API's happy path") {
  BrokerFixture f;
  auto c = f.client();
  const std::int64_t t0 = now_ms();

  // ApiVersions: all nine APIs at version 0.
  const auto versions = c->api_versions();
  CHECK(versions.error == ErrorCode::none);
  std::set<std::uint16_t> keys;
  for (const auto& api : versions.apis) {
    keys.insert(static_cast<std::uint16_t>(api.api_key));
    CHECK(api.min_version == 0);
    CHECK(api.max_version == 0);
  }
  CHECK(keys.size() == versions.apis.size());
  CHECK(keys == std::set<std::uint16_t>{0, 1, 2, 3, 4, 5, 6, 7, 8});

  // CreateTopic with configs.
  const auto created = c->create_topic(
      "orders", 3, {{"retention.ms", "3600000"}, {"segment.bytes", "1048576"}, {"max.message.bytes", "200000"}});
  CHECK(created.error == ErrorCode::none);
  CHECK(c->create_topic("audit", 1).error == ErrorCode::none);
  for (std::uint32_t p = 0; p < 3; ++p) CHECK(fs::is_directory(f.partition_dir("orders", p)));
  CHECK_FALSE(fs::exists(f.partition_dir("orders", 3)));

  // DescribeConfigs: the configs given, defaults for the rest.
  auto described = c->describe_configs("orders");
  REQUIRE(described.error == ErrorCode::none);
  auto cfg = config_map(described.configs);
  CHECK(cfg["partitions"] == "3");
  CHECK(cfg["retention.ms"] == "3600000");
  CHECK(cfg["segment.bytes"] == "1048576");
  CHECK(cfg["max.message.bytes"] == "200000");
  CHECK(cfg["retention.bytes"] == "-1");
  CHECK(cfg["segment.ms"] == "604800000");
  const auto audit_cfg = config_map(c->describe_configs("audit").configs);
  CHECK(audit_cfg.at("retention.ms") == "604800000");
  CHECK(audit_cfg.at("segment.bytes") == "1073741824");
  CHECK(audit_cfg.at("max.message.bytes") == "1048588");

  // AlterConfigs changes only the keys given.
  CHECK(c->alter_configs("orders", {{"retention.ms", "7200000"}, {"retention.bytes", "100000000"}}).error ==
        ErrorCode::none);
  cfg = config_map(c->describe_configs("orders").configs);
  CHECK(cfg["retention.ms"] == "7200000");
  CHECK(cfg["retention.bytes"] == "100000000");
  CHECK(cfg["segment.bytes"] == "1048576");
  CHECK(cfg["max.message.bytes"] == "200000");
  CHECK(cfg["partitions"] == "3");

  // Metadata of every topic: both, empty.
  {
    const auto all = c->metadata();
    std::map<std::string, protocol::TopicMetadata> by_name;
    for (const auto& t : all.topics) by_name[t.name] = t;
    REQUIRE(by_name.size() == 2);
    const auto& orders = by_name.at("orders");
    CHECK(orders.error == ErrorCode::none);
    REQUIRE(orders.partitions.size() == 3);
    for (std::uint32_t p = 0; p < 3; ++p) {
      CHECK(orders.partitions[p] == protocol::PartitionMetadata{p, ErrorCode::none, 0, 0, 0});
    }
    CHECK(by_name.at("audit").partitions.size() == 1);
  }

  // Produce acks=leader: base offsets are contiguous.
  const auto r0 = make_records("p0", 0, 2, t0);
  const auto r1 = make_records("p0", 2, 3, t0 + 100);
  const auto r2 = make_records("p0", 5, 5, t0 + 200);
  const auto b0 = make_batch(r0);
  const auto b1 = make_batch(r1);
  const auto b2 = make_batch(r2);
  std::uint64_t expected_base = 0;
  for (const auto* b : {&b0, &b1, &b2}) {
    const auto res = c->produce("orders", 0, *b);
    CHECK(res.error == ErrorCode::none);
    CHECK(res.message.empty());
    CHECK(res.base_offset == expected_base);
    CHECK(res.log_start == 0);
    expected_base += b == &b0 ? 2 : b == &b1 ? 3 : 5;
  }
  const std::uint64_t p0_bytes = b0.size() + b1.size() + b2.size();

  // One request for two partitions.
  const auto r_p1 = make_records("p1", 0, 4, t0);
  const auto r_p2 = make_records("p2", 0, 3, t0);
  const auto b_p1 = make_batch(r_p1);
  const auto b_p2 = make_batch(r_p2);
  {
    protocol::ProduceRequest req;
    req.acks = Acks::leader;
    req.topics.push_back({"orders", {{1, b_p1}, {2, b_p2}}});
    const auto res = c->produce(req);
    REQUIRE(res.topics.size() == 1);
    CHECK(res.topics[0].name == "orders");
    REQUIRE(res.topics[0].partitions.size() == 2);
    CHECK(res.topics[0].partitions[0] == protocol::ProducePartitionResult{1, ErrorCode::none, 0, 0, ""});
    CHECK(res.topics[0].partitions[1] == protocol::ProducePartitionResult{2, ErrorCode::none, 0, 0, ""});
  }

  // Metadata of a named topic: offsets and sizes moved.
  {
    const auto md = c->metadata({"orders"});
    REQUIRE(md.topics.size() == 1);
    CHECK(md.topics[0].name == "orders");
    CHECK(md.topics[0].error == ErrorCode::none);
    REQUIRE(md.topics[0].partitions.size() == 3);
    CHECK(md.topics[0].partitions[0] == protocol::PartitionMetadata{0, ErrorCode::none, 0, 10, p0_bytes});
    CHECK(md.topics[0].partitions[1] == protocol::PartitionMetadata{1, ErrorCode::none, 0, 4, b_p1.size()});
    CHECK(md.topics[0].partitions[2] == protocol::PartitionMetadata{2, ErrorCode::none, 0, 3, b_p2.size()});
  }

  // Produce acks=none: no response at all. The next request's response is
  // the next frame on the connection.
  const auto r_none = make_records("p2", 3, 4, t0 + 10);
  const auto b_none = make_batch(r_none);
  (void)c->send(ApiKey::produce, produce_request("orders", 2, b_none, Acks::none));
  const std::uint32_t after = c->send(ApiKey::api_versions, protocol::ApiVersionsRequest{});
  {
    const auto frame = c->read_frame();
    CHECK(frame.header.correlation_id == after);
    CHECK(frame.header.error == ErrorCode::none);
  }
  CHECK(c->list_offset("orders", 2, protocol::kLatestTimestamp).offset == 7);
  {
    const auto fetched = c->fetch_one("orders", 2, 0);
    REQUIRE(fetched.error == ErrorCode::none);
    CHECK(fetched.log_end == 7);
    const auto d = decode_batches(fetched.records);
    REQUIRE(d.batches.size() == 2);
    check_records(d.records, 0, concat({r_p2, r_none}));
  }

  // Fetch starts with the whole batch holding the offset: offset 3 is in
  // the batch [2, 5).
  {
    const auto fetched = c->fetch_one("orders", 0, 3);
    REQUIRE(fetched.error == ErrorCode::none);
    CHECK(fetched.log_start == 0);
    CHECK(fetched.log_end == 10);
    CHECK(fetched.records.size() == b1.size() + b2.size());
    const auto d = decode_batches(fetched.records);
    REQUIRE(d.batches.size() == 2);
    CHECK(d.batches[0].base_offset == 2);
    CHECK(d.batches[0].record_count == 3);
    CHECK(d.batches[1].base_offset == 5);
    check_records(d.records, 2, concat({r1, r2}));
  }
  // The last offset of a batch still returns that batch.
  {
    const auto d = decode_batches(c->fetch_one("orders", 0, 9).records);
    REQUIRE(d.batches.size() == 1);
    CHECK(d.batches[0].base_offset == 5);
  }
  // A budget below the first batch still returns that one whole batch.
  {
    const auto fetched = c->fetch_one("orders", 0, 0, 1);
    REQUIRE(fetched.error == ErrorCode::none);
    const auto d = decode_batches(fetched.records);
    REQUIRE(d.batches.size() == 1);
    check_records(d.records, 0, r0);
  }
  // A budget of two batches returns whole batches within it.
  {
    const auto budget = static_cast<std::uint32_t>(b0.size() + b1.size());
    const auto fetched = c->fetch_one("orders", 0, 0, budget);
    REQUIRE(fetched.error == ErrorCode::none);
    CHECK(fetched.records.size() <= budget);
    const auto d = decode_batches(fetched.records);
    REQUIRE(!d.batches.empty());
    CHECK(d.batches[0].base_offset == 0);
  }
  // Everything from 0.
  check_records(decode_batches(c->fetch_one("orders", 0, 0).records).records, 0, concat({r0, r1, r2}));
  // At the log end without waiting: no records, no error.
  {
    const auto fetched = c->fetch_one("orders", 0, 10, 1 << 20, 0);
    CHECK(fetched.error == ErrorCode::none);
    CHECK(fetched.records.empty());
    CHECK(fetched.log_end == 10);
  }

  // ListOffsets: earliest, latest, by timestamp.
  CHECK(c->list_offset("orders", 0, protocol::kEarliestTimestamp) ==
        protocol::ListOffsetsPartitionResult{0, ErrorCode::none, 0});
  CHECK(c->list_offset("orders", 0, protocol::kLatestTimestamp) ==
        protocol::ListOffsetsPartitionResult{0, ErrorCode::none, 10});
  CHECK(c->list_offset("orders", 0, t0).offset == 0);
  CHECK(c->list_offset("orders", 0, t0 + 1).offset == 1);
  CHECK(c->list_offset("orders", 0, t0 + 50).offset == 2);
  CHECK(c->list_offset("orders", 0, t0 + 101).offset == 3);
  CHECK(c->list_offset("orders", 0, t0 + 150).offset == 5);
  CHECK(c->list_offset("orders", 0, t0 + 204).offset == 9);
  CHECK(c->list_offset("orders", 0, t0 + 205).offset == protocol::kNoOffset);
  CHECK(c->list_offset("orders", 0, t0 + 86'400'000).offset == protocol::kNoOffset);
  CHECK(c->list_offset("orders", 1, protocol::kLatestTimestamp).offset == 4);

  // DeleteTopic: gone from the API and from disk.
  CHECK(c->delete_topic("orders").error == ErrorCode::none);
  {
    const auto md = c->metadata({"orders"});
    REQUIRE(md.topics.size() == 1);
    CHECK(md.topics[0].error == ErrorCode::unknown_topic);
    CHECK(md.topics[0].partitions.empty());
    const auto all = c->metadata();
    REQUIRE(all.topics.size() == 1);
    CHECK(all.topics[0].name == "audit");
  }
  CHECK(c->produce("orders", 0, b0).error == ErrorCode::unknown_topic);
  CHECK(c->fetch_one("orders", 0, 0).error == ErrorCode::unknown_topic);
  CHECK(c->list_offset("orders", 0, protocol::kLatestTimestamp).error == ErrorCode::unknown_topic);
  CHECK(c->describe_configs("orders").error == ErrorCode::unknown_topic);
  CHECK(c->delete_topic("orders").error == ErrorCode::unknown_topic);
  CHECK_FALSE(fs::exists(f.data_dir() / "orders"));
  for (const auto& name : file_names(f.data_dir())) CHECK(name.find("orders") == std::string::npos);

  // The name can be used again, from offset 0 and with default configs.
  CHECK(c->create_topic("orders", 1).error == ErrorCode::none);
  CHECK(config_map(c->describe_configs("orders").configs).at("retention.ms") == "604800000");
  const auto again = c->produce("orders", 0, b1);
  CHECK(again.error == ErrorCode::none);
  CHECK(again.base_offset == 0);
  check_records(decode_batches(c->fetch_one("orders", 0, 0).records).records, 0, r1);
}

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
        CHECK(WireClient::decode_reply<protocol::ApiVersionsResponse>(frame).apis.size() == 9);
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
  CHECK(consumer->api_versions().apis.size() == 9);
}

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
