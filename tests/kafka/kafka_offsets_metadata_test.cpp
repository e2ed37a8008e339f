// ListOffsets 1-3 and Metadata 1-6 against bytes spelled out per version.
#include <doctest/doctest.h>

#include "protocol/kafka/list_offsets.h"
#include "protocol/kafka/metadata.h"
#include "tests/kafka/kafka_samples.h"
#include "tests/kafka/kafka_test_util.h"

namespace strata::kafka::test {
namespace {

TEST_CASE("kafka ListOffsets request v1-v3: isolation level from v2") {
  for (std::int16_t v = 1; v <= 3; ++v) {
    CAPTURE(v);
    auto r = ListOffsetsRequest::decode(list_offsets_request(v).view(), v);
    REQUIRE(r);
    const ListOffsetsRequest expected{-1, static_cast<std::int8_t>(v >= 2 ? 1 : 0),
                                      {{"t", {{0, kEarliestTimestamp}, {1, kLatestTimestamp}}}}};
    CHECK(r.value() == expected);
  }
}

TEST_CASE("kafka ListOffsets response v1-v3: throttle time from v2") {
  ListOffsetsResponse resp;
  resp.topics.push_back({"t", {{0, KafkaError::none, -1, 0}, {1, KafkaError::unknown_topic_or_partition, -1, -1}}});
  for (std::int16_t v = 1; v <= 3; ++v) {
    CAPTURE(v);
    Be e;
    if (v >= 2) e.i32(0);
    e.i32(1).str("t").i32(2).i32(0).i16(0).i64(-1).i64(0).i32(1).i16(3).i64(-1).i64(-1);
    CHECK(encode_body(resp, ApiKey::list_offsets, v) == e.bytes());
  }
}

TEST_CASE("kafka Metadata request v1-v6: named topics, null for all, auto-create from v4") {
  for (std::int16_t v = 1; v <= 6; ++v) {
    CAPTURE(v);
    auto r = MetadataRequest::decode(metadata_request(v).view(), v);
    REQUIRE(r);
    CHECK(r.value() == MetadataRequest{std::vector<std::string>{"a", "b"}, v < 4});
  }
  Be all;
  all.i32(-1).boolean(true);
  auto r = MetadataRequest::decode(all.view(), 4);
  REQUIRE(r);
  CHECK_FALSE(r.value().topics.has_value());
  CHECK(r.value().allow_auto_topic_creation);
  Be bad_bool;
  bad_bool.i32(0).i8(2);
  CHECK(MetadataRequest::decode(bad_bool.view(), 4).error() == DecodeErrc::invalid_value);
}

TEST_CASE("kafka Metadata response v1-v6: rack, cluster id, throttle, offline replicas by version") {
  MetadataResponse resp;
  resp.brokers.push_back({1, "127.0.0.1", 9092, std::nullopt});
  resp.cluster_id = "strata";
  resp.controller_id = 1;
  MetadataTopic t{KafkaError::none, "t", false, {}};
  t.partitions.push_back({KafkaError::none, 0, 1, {1}, {1}, {}});
  resp.topics.push_back(t);
  resp.topics.push_back({KafkaError::unknown_topic_or_partition, "missing", false, {}});
  for (std::int16_t v = 1; v <= 6; ++v) {
    CAPTURE(v);
    Be e;
    if (v >= 3) e.i32(0);
    e.i32(1).i32(1).str("127.0.0.1").i32(9092).null_str();
    if (v >= 2) e.str("strata");
    e.i32(1);
    e.i32(2);
    e.i16(0).str("t").boolean(false).i32(1);
    e.i16(0).i32(0).i32(1).i32(1).i32(1).i32(1).i32(1);
    if (v >= 5) e.i32(0);
    e.i16(3).str("missing").boolean(false).i32(0);
    CHECK(encode_body(resp, ApiKey::metadata, v) == e.bytes());
  }
}

}  // namespace
}  // namespace strata::kafka::test
