#include "wire_test_util.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>

#include "protocol/batch_builder.h"

namespace strata::test::wire {

Bytes view(const Buffer& b) noexcept { return Bytes{b.data(), b.size()}; }

const std::string& max_string() {
  static const std::string s = [] {
    std::string out(kMaxString, '\0');
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(static_cast<unsigned char>(i * 31 + 7));
    return out;
  }();
  return s;
}

Buffer pattern(std::size_t n, std::uint8_t seed) {
  Buffer b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 13 + seed);
  return b;
}

bool same_bytes(Bytes a, Bytes b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

void expect_equal(const ApiVersionsRequest&, const ApiVersionsRequest&) {}
void expect_equal(const ApiVersionsResponse& got, const ApiVersionsResponse& want) {
  CHECK(got.error == want.error);
  CHECK(got.apis == want.apis);
}
void expect_equal(const MetadataRequest& got, const MetadataRequest& want) { CHECK(got.topics == want.topics); }
void expect_equal(const MetadataResponse& got, const MetadataResponse& want) { CHECK(got.topics == want.topics); }
void expect_equal(const StatusResponse& got, const StatusResponse& want) {
  CHECK(got.error == want.error);
  CHECK(got.message == want.message);
}
void expect_equal(const CreateTopicRequest& got, const CreateTopicRequest& want) {
  CHECK(got.name == want.name);
  CHECK(got.partitions == want.partitions);
  CHECK(got.configs == want.configs);
}
void expect_equal(const TopicRequest& got, const TopicRequest& want) { CHECK(got.name == want.name); }
void expect_equal(const DescribeConfigsResponse& got, const DescribeConfigsResponse& want) {
  CHECK(got.error == want.error);
  CHECK(got.message == want.message);
  CHECK(got.configs == want.configs);
}
void expect_equal(const AlterConfigsRequest& got, const AlterConfigsRequest& want) {
  CHECK(got.name == want.name);
  CHECK(got.configs == want.configs);
}
void expect_equal(const ProduceRequest& got, const ProduceRequest& want) {
  CHECK(got.acks == want.acks);
  CHECK(got.timeout_ms == want.timeout_ms);
  REQUIRE(got.topics.size() == want.topics.size());
  for (std::size_t t = 0; t < want.topics.size(); ++t) {
    CHECK(got.topics[t].name == want.topics[t].name);
    REQUIRE(got.topics[t].partitions.size() == want.topics[t].partitions.size());
    for (std::size_t p = 0; p < want.topics[t].partitions.size(); ++p) {
      CHECK(got.topics[t].partitions[p].partition == want.topics[t].partitions[p].partition);
      CHECK(same_bytes(got.topics[t].partitions[p].batch, want.topics[t].partitions[p].batch));
    }
  }
}
void expect_equal(const ProduceResponse& got, const ProduceResponse& want) { CHECK(got.topics == want.topics); }
void expect_equal(const FetchRequest& got, const FetchRequest& want) {
  CHECK(got.max_wait_ms == want.max_wait_ms);
  CHECK(got.min_bytes == want.min_bytes);
  CHECK(got.max_bytes == want.max_bytes);
  CHECK(got.topics == want.topics);
}
void expect_equal(const FetchResponse& got, const FetchResponse& want) {
  REQUIRE(got.topics.size() == want.topics.size());
  for (std::size_t t = 0; t < want.topics.size(); ++t) {
    CHECK(got.topics[t].name == want.topics[t].name);
    REQUIRE(got.topics[t].partitions.size() == want.topics[t].partitions.size());
    for (std::size_t p = 0; p < want.topics[t].partitions.size(); ++p) {
      const auto& g = got.topics[t].partitions[p];
      const auto& e = want.topics[t].partitions[p];
      CHECK(g.header.partition == e.header.partition);
      CHECK(g.header.error == e.header.error);
      CHECK(g.header.log_start == e.header.log_start);
      CHECK(g.header.log_end == e.header.log_end);
      CHECK(same_bytes(g.records, e.records));
    }
  }
}
void expect_equal(const ListOffsetsRequest& got, const ListOffsetsRequest& want) { CHECK(got.topics == want.topics); }
void expect_equal(const ListOffsetsResponse& got, const ListOffsetsResponse& want) {
  CHECK(got.topics == want.topics);
}

namespace {

const Buffer& batch_storage(std::size_t i) {
  static const std::vector<Buffer> batches = [] {
    std::vector<Buffer> out;
    out.emplace_back();                // empty blob
    out.push_back(pattern(1, 0xAB));   // one byte
    out.push_back(pattern(61, 3));     // odd size
    out.push_back(pattern(4096, 9));   // a page
    BatchBuilder b;                    // a real record batch
    const std::string key = "k";
    const std::string value = "value";
    b.add(1700000000000, Bytes{reinterpret_cast<const std::uint8_t*>(key.data()), key.size()},
          Bytes{reinterpret_cast<const std::uint8_t*>(value.data()), value.size()});
    b.add(1700000000001, std::nullopt, std::nullopt);
    out.push_back(b.finish());
    return out;
  }();
  return batches.at(i);
}
constexpr std::size_t kBatchCount = 5;

}  // namespace

std::vector<ApiVersionsRequest> api_versions_requests() { return {ApiVersionsRequest{}}; }

std::vector<ApiVersionsResponse> api_versions_responses() {
  ApiVersionsResponse all;
  for (std::uint16_t k = 0; k < kApiKeyCount; ++k)
    all.apis.push_back({static_cast<ApiKey>(k), 0, static_cast<std::uint16_t>(k + 1)});
  ApiVersionsResponse odd;
  odd.error = kOddError;
  odd.apis = {{kOddApi, kU16Max, 0}, {ApiKey::list_offsets, 0, kU16Max}};
  ApiVersionsResponse failed;
  failed.error = ErrorCode::unsupported_version;
  return {ApiVersionsResponse{}, all, odd, failed};
}

std::vector<MetadataRequest> metadata_requests() {
  MetadataRequest one;
  one.topics = {"orders"};
  MetadataRequest several;
  several.topics = {"", "a", "orders.v2", "x-y_z"};
  MetadataRequest big;
  big.topics = {max_string(), "", max_string()};
  return {MetadataRequest{}, one, several, big};
}

std::vector<MetadataResponse> metadata_responses() {
  MetadataResponse empty_topic;
  empty_topic.topics = {TopicMetadata{ErrorCode::none, "t", {}}};
  MetadataResponse several;
  several.topics = {
      TopicMetadata{ErrorCode::none, "orders", {{0, ErrorCode::none, 0, 10, 1000}, {1, ErrorCode::none, 5, 7, 99}}},
      TopicMetadata{ErrorCode::unknown_topic, "missing", {}},
      TopicMetadata{ErrorCode::none, "", {{kU32Max, kOddError, kU64Max, kU64Max, kU64Max}}},
      TopicMetadata{kOddError, "z", {{0, ErrorCode::storage_error, 0, 0, 0}, {2, ErrorCode::none, 1, 2, 3}}},
  };
  MetadataResponse big;
  big.topics = {TopicMetadata{ErrorCode::none, max_string(), {{7, ErrorCode::none, 1, kU64Max - 1, 0}}}};
  return {MetadataResponse{}, empty_topic, several, big};
}

std::vector<StatusResponse> status_responses() {
  return {StatusResponse{},
          StatusResponse{ErrorCode::topic_exists, "topic 'orders' exists"},
          StatusResponse{ErrorCode::broker_shutting_down, ""},
          StatusResponse{kOddError, max_string()}};
}

std::vector<CreateTopicRequest> create_topic_requests() {
  CreateTopicRequest plain;
  plain.name = "orders";
  CreateTopicRequest zero{"", 0, {}};
  CreateTopicRequest configs{"events", 12, {{"retention.ms", "86400000"}, {"", ""}, {"segment.bytes", "1"}}};
  CreateTopicRequest big{max_string(), kU32Max, {{max_string(), max_string()}, {"k", ""}}};
  return {plain, zero, configs, big};
}

std::vector<TopicRequest> topic_requests() { return {TopicRequest{}, TopicRequest{"orders"}, TopicRequest{max_string()}}; }

std::vector<DescribeConfigsResponse> describe_configs_responses() {
  DescribeConfigsResponse ok{ErrorCode::none, "", {{"retention.ms", "-1"}, {"max.message.bytes", "1048576"}}};
  DescribeConfigsResponse failed{ErrorCode::unknown_topic, "no topic 'x'", {}};
  DescribeConfigsResponse big{kOddError, max_string(), {{"", max_string()}}};
  return {DescribeConfigsResponse{}, ok, failed, big};
}

std::vector<AlterConfigsRequest> alter_configs_requests() {
  AlterConfigsRequest none{"orders", {}};
  AlterConfigsRequest several{"t", {{"retention.ms", "1000"}, {"retention.bytes", "-1"}, {"", ""}}};
  AlterConfigsRequest big{max_string(), {{max_string(), ""}}};
  return {AlterConfigsRequest{}, none, several, big};
}

std::vector<ProduceRequest> produce_requests() {
  ProduceRequest empty;
  ProduceRequest acks0;
  acks0.acks = Acks::none;
  acks0.timeout_ms = 0;
  acks0.topics = {ProduceTopic{"orders", {}}};
  ProduceRequest several;
  several.acks = Acks::durable;
  several.timeout_ms = kU32Max;
  several.topics = {
      ProduceTopic{"orders", {{0, view(batch_storage(4))}, {1, view(batch_storage(2))}, {kU32Max, view(batch_storage(0))}}},
      ProduceTopic{"", {{5, view(batch_storage(1))}}},
      ProduceTopic{"big-batch", {{3, view(batch_storage(3))}}},
  };
  ProduceRequest big;
  big.acks = Acks::leader;
  big.topics = {ProduceTopic{max_string(), {{0, view(batch_storage(4))}}}};
  return {empty, acks0, several, big};
}

std::vector<ProduceResponse> produce_responses() {
  ProduceResponse several;
  several.topics = {
      ProduceTopicResult{"orders",
                         {{0, ErrorCode::none, 100, 0, ""}, {1, ErrorCode::corrupt_batch, 0, 0, "crc mismatch"}}},
      ProduceTopicResult{"", {}},
      ProduceTopicResult{"x", {{kU32Max, kOddError, kU64Max, kU64Max, ""}}},
  };
  ProduceResponse big;
  big.topics = {ProduceTopicResult{max_string(), {{0, ErrorCode::batch_too_large, 0, 1, max_string()}}}};
  return {ProduceResponse{}, several, big};
}

std::vector<FetchRequest> fetch_requests() {
  FetchRequest zero;
  zero.max_wait_ms = 0;
  zero.min_bytes = 0;
  zero.max_bytes = 0;
  FetchRequest several;
  several.max_wait_ms = kU32Max;
  several.min_bytes = kU32Max;
  several.max_bytes = kU32Max;
  several.topics = {
      FetchTopic{"orders", {{0, 0, 1024}, {1, kU64Max, kU32Max}, {kU32Max, 42, 0}}},
      FetchTopic{"", {}},
      FetchTopic{"logs", {{3, 1ull << 40, 1u << 20}}},
  };
  FetchRequest big;
  big.topics = {FetchTopic{max_string(), {{0, 0, 1}}}};
  return {FetchRequest{}, zero, several, big};
}

std::vector<FetchResponse> fetch_responses() {
  FetchResponse several;
  several.topics = {
      FetchTopicResult{"orders",
                       {{{0, ErrorCode::none, 0, 2}, view(batch_storage(4))},
                        {{1, ErrorCode::offset_out_of_range, 5, 9}, view(batch_storage(0))},
                        {{2, ErrorCode::none, 0, 100}, view(batch_storage(3))}}},
      FetchTopicResult{"", {}},
      FetchTopicResult{"z", {{{kU32Max, kOddError, kU64Max, kU64Max}, view(batch_storage(1))}}},
  };
  FetchResponse big;
  big.topics = {FetchTopicResult{max_string(), {{{0, ErrorCode::none, 0, 1}, view(batch_storage(2))}}}};
  return {FetchResponse{}, several, big};
}

std::vector<ListOffsetsRequest> list_offsets_requests() {
  ListOffsetsRequest several;
  several.topics = {
      ListOffsetsTopic{"orders",
                       {{0, kLatestTimestamp}, {1, kEarliestTimestamp}, {2, 0}, {3, kI64Min}, {kU32Max, kI64Max}}},
      ListOffsetsTopic{"", {}},
  };
  ListOffsetsRequest big;
  big.topics = {ListOffsetsTopic{max_string(), {{0, 1700000000000}}}};
  return {ListOffsetsRequest{}, several, big};
}

std::vector<ListOffsetsResponse> list_offsets_responses() {
  ListOffsetsResponse several;
  several.topics = {
      ListOffsetsTopicResult{"orders",
                             {{0, ErrorCode::none, 0}, {1, ErrorCode::none, kNoOffset}, {2, kOddError, kI64Min}}},
      ListOffsetsTopicResult{"", {}},
      ListOffsetsTopicResult{"t", {{kU32Max, ErrorCode::unknown_partition, kI64Max}}},
  };
  ListOffsetsResponse big;
  big.topics = {ListOffsetsTopicResult{max_string(), {{0, ErrorCode::none, 5}}}};
  return {ListOffsetsResponse{}, several, big};
}

}  // namespace strata::test::wire
