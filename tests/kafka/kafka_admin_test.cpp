// The admin APIs and InitProducerId/FindCoordinator: CreateTopics 0-4,
// DeleteTopics 0-1, DescribeConfigs 0-2, AlterConfigs 0-1,
// IncrementalAlterConfigs 0-1 (v1 flexible), InitProducerId 0-1,
// FindCoordinator 0-2, against bytes spelled out per version.
#include <doctest/doctest.h>

#include "protocol/kafka/alter_configs.h"
#include "protocol/kafka/create_topics.h"
#include "protocol/kafka/delete_topics.h"
#include "protocol/kafka/describe_configs.h"
#include "protocol/kafka/find_coordinator.h"
#include "protocol/kafka/incremental_alter_configs.h"
#include "protocol/kafka/init_producer_id.h"
#include "tests/kafka/kafka_samples.h"
#include "tests/kafka/kafka_test_util.h"

namespace strata::kafka::test {
namespace {

TEST_CASE("kafka CreateTopics request v0-v4 and response: message from v1, throttle from v2") {
  for (std::int16_t v = 0; v <= 4; ++v) {
    CAPTURE(v);
    auto r = CreateTopicsRequest::decode(create_topics_request(v).view(), v);
    REQUIRE(r);
    const CreateTopicsRequest expected{
        {{"new", 3, -1, {}, {{"retention.ms", "1000"}, {"segment.bytes", std::nullopt}}}}, 5000, v >= 1};
    CHECK(r.value() == expected);

    CreateTopicsResponse resp;
    resp.topics.push_back({"new", KafkaError::none, std::nullopt});
    resp.topics.push_back({"bad", KafkaError::invalid_config, "retention.ms: must be >= -1"});
    Be e;
    if (v >= 2) e.i32(0);
    e.i32(2).str("new").i16(0);
    if (v >= 1) e.null_str();
    e.str("bad").i16(40);
    if (v >= 1) e.str("retention.ms: must be >= -1");
    CHECK(encode_body(resp, ApiKey::create_topics, v) == e.bytes());
  }
  Be assigned;
  assigned.i32(1).str("x").i32(-1).i16(-1).i32(1).i32(0).i32(2).i32(1).i32(2).i32(0).i32(100);
  auto a = CreateTopicsRequest::decode(assigned.view(), 0);
  REQUIRE(a);
  CHECK(a.value().topics[0].assignments == std::vector<ReplicaAssignment>{{0, {1, 2}}});
}

TEST_CASE("kafka DeleteTopics request v0-v1 and response: throttle from v1") {
  for (std::int16_t v = 0; v <= 1; ++v) {
    CAPTURE(v);
    auto r = DeleteTopicsRequest::decode(delete_topics_request(v).view(), v);
    REQUIRE(r);
    CHECK(r.value() == DeleteTopicsRequest{{"a", "b"}, 1000});
    DeleteTopicsResponse resp{0, {{"a", KafkaError::none}, {"b", KafkaError::unknown_topic_or_partition}}};
    Be e;
    if (v >= 1) e.i32(0);
    e.i32(2).str("a").i16(0).str("b").i16(3);
    CHECK(encode_body(resp, ApiKey::delete_topics, v) == e.bytes());
  }
}

TEST_CASE("kafka DescribeConfigs request v0-v2 and response: IsDefault in v0, source and synonyms from v1") {
  for (std::int16_t v = 0; v <= 2; ++v) {
    CAPTURE(v);
    auto r = DescribeConfigsRequest::decode(describe_configs_request(v).view(), v);
    REQUIRE(r);
    const DescribeConfigsRequest expected{
        {{2, "t", std::nullopt}, {2, "u", std::vector<std::string>{"retention.ms"}}}, v >= 1};
    CHECK(r.value() == expected);

    DescribeConfigsResponse resp;
    DescribeConfigsResult res{KafkaError::none, std::nullopt, 2, "t", {}};
    res.configs.push_back({"retention.ms", "1000", false, false, ConfigSource::dynamic_topic_config, false,
                           {{"retention.ms", "1000", ConfigSource::dynamic_topic_config}}});
    res.configs.push_back({"cleanup.policy", "delete", true, true, ConfigSource::default_config, false, {}});
    resp.results.push_back(res);
    Be e;
    e.i32(0).i32(1).i16(0).null_str().i8(2).str("t").i32(2);
    e.str("retention.ms").str("1000").boolean(false);
    if (v == 0) e.boolean(false);
    if (v >= 1) e.i8(1);
    e.boolean(false);
    if (v >= 1) e.i32(1).str("retention.ms").str("1000").i8(1);
    e.str("cleanup.policy").str("delete").boolean(true);
    if (v == 0) e.boolean(true);
    if (v >= 1) e.i8(5);
    e.boolean(false);
    if (v >= 1) e.i32(0);
    CHECK(encode_body(resp, ApiKey::describe_configs, v) == e.bytes());
  }
}

AlterConfigsResponse sample_alter_response() {
  return {0, {{KafkaError::none, std::nullopt, 2, "t"}, {KafkaError::invalid_config, "no", 2, "u"}}};
}

TEST_CASE("kafka AlterConfigs request v0-v1 and response") {
  for (std::int16_t v = 0; v <= 1; ++v) {
    CAPTURE(v);
    auto r = AlterConfigsRequest::decode(alter_configs_request(v).view(), v);
    REQUIRE(r);
    const AlterConfigsRequest expected{
        {{2, "t", {{"retention.ms", "1000"}, {"segment.bytes", std::nullopt}}}}, false};
    CHECK(r.value() == expected);
    Be e;
    e.i32(0).i32(2).i16(0).null_str().i8(2).str("t").i16(40).str("no").i8(2).str("u");
    CHECK(encode_body(sample_alter_response(), ApiKey::alter_configs, v) == e.bytes());
  }
}

TEST_CASE("kafka IncrementalAlterConfigs request v0 classic and v1 flexible, and their responses") {
  for (std::int16_t v = 0; v <= 1; ++v) {
    CAPTURE(v);
    auto r = IncrementalAlterConfigsRequest::decode(incremental_alter_configs_request(v).view(), v);
    REQUIRE(r);
    const IncrementalAlterConfigsRequest expected{
        {{2, "t", {{"retention.ms", 0, "1000"}, {"segment.bytes", 1, std::nullopt}}}}, true};
    CHECK(r.value() == expected);
  }
  Be classic;
  classic.i32(0).i32(2).i16(0).null_str().i8(2).str("t").i16(40).str("no").i8(2).str("u");
  CHECK(encode_body(sample_alter_response(), ApiKey::incremental_alter_configs, 0) == classic.bytes());
  Be flexible;
  flexible.i32(0).uv(3).i16(0).uv(0).i8(2).cstr("t").uv(0).i16(40).cstr("no").i8(2).cstr("u").uv(0).uv(0);
  CHECK(encode_body(sample_alter_response(), ApiKey::incremental_alter_configs, 1) == flexible.bytes());
}

TEST_CASE("kafka InitProducerId request v0-v1 and response") {
  for (std::int16_t v = 0; v <= 1; ++v) {
    CAPTURE(v);
    auto r = InitProducerIdRequest::decode(init_producer_id_request(v).view(), v);
    REQUIRE(r);
    CHECK(r.value() == InitProducerIdRequest{std::nullopt, 60000});
    const InitProducerIdResponse resp{0, KafkaError::none, 4000, 0};
    CHECK(encode_body(resp, ApiKey::init_producer_id, v) == Be().i32(0).i16(0).i64(4000).i16(0).bytes());
  }
}

TEST_CASE("kafka FindCoordinator request v0-v2 and the COORDINATOR_NOT_AVAILABLE answer") {
  for (std::int16_t v = 0; v <= 2; ++v) {
    CAPTURE(v);
    auto r = FindCoordinatorRequest::decode(find_coordinator_request(v).view(), v);
    REQUIRE(r);
    CHECK(r.value() == FindCoordinatorRequest{"group-1", 0});
    const FindCoordinatorResponse resp;  // the default is the answer until groups exist
    Be e;
    if (v >= 1) e.i32(0);
    e.i16(15);
    if (v >= 1) e.null_str();
    e.i32(-1).str("").i32(-1);
    CHECK(encode_body(resp, ApiKey::find_coordinator, v) == e.bytes());
  }
}

}  // namespace
}  // namespace strata::kafka::test
