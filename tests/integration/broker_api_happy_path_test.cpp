// Integration test of every API's happy path, one after the other, against a
// real strata-broker process spoken to in raw frames.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "protocol/retention_messages.h"
#include "tests/integration/broker_api_test_util.h"

namespace strata::it {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> config_map(const std::vector<protocol::ConfigEntry>& entries) {
  std::map<std::string, std::string> out;
  for (const auto& e : entries) out[e.key] = e.value;
  return out;
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

  // ApiVersions: all eleven APIs at version 0, Metadata also at 1 and 2 (cluster mode's leaders, replicas).
  const auto versions = c->api_versions();
  CHECK(versions.error == ErrorCode::none);
  std::set<std::uint16_t> keys;
  for (const auto& api : versions.apis) {
    keys.insert(static_cast<std::uint16_t>(api.api_key));
    CHECK(api.min_version == 0);
    CHECK(api.max_version == (api.api_key == protocol::ApiKey::metadata ? 2 : 0));
  }
  CHECK(keys.size() == versions.apis.size());
  CHECK(keys == std::set<std::uint16_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});

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

  // DescribeRetention: each partition's oldest segment and what keeps it.
  {
    const auto retention = c->call<protocol::DescribeRetentionResponse>(protocol::ApiKey::describe_retention,
                                                                        protocol::TopicRequest{"orders"});
    CHECK(retention.error == ErrorCode::none);
    REQUIRE(retention.partitions.size() == 3);
    CHECK(retention.partitions[0] == protocol::PartitionRetention{0, ErrorCode::none, 0, p0_bytes, t0 + 204, 1,
                                                                  protocol::RetentionReason::active_segment, -1,
                                                                  "active segment"});
    CHECK(retention.partitions[2].oldest_size_bytes == 0);
    const auto unknown = c->call<protocol::DescribeRetentionResponse>(protocol::ApiKey::describe_retention,
                                                                      protocol::TopicRequest{"nope"});
    CHECK(unknown.error == ErrorCode::unknown_topic);
    CHECK(unknown.partitions.empty());
  }

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

}  // namespace strata::it
