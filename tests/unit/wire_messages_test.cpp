// Tests for the wire protocol's framing and message bodies (frame.h,
// wire_coding.h, admin_messages.h, data_messages.h, error_code.h):
// encode -> decode round trips for every request and response, exact byte
// layout where the broker depends on it (Fetch records after the header),
// frame size checks, and hostile input (truncations, lying counts, bad acks,
// random and mutated buffers) that must fail cleanly and never crash.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/admin_messages.h"
#include "protocol/batch_builder.h"
#include "protocol/byte_io.h"
#include "protocol/byte_writer.h"
#include "protocol/data_messages.h"
#include "protocol/error_code.h"
#include "protocol/frame.h"
#include "protocol/wire_coding.h"

namespace {

using namespace strata::protocol;
using Buffer = std::vector<std::uint8_t>;

constexpr std::uint16_t kU16Max = std::numeric_limits<std::uint16_t>::max();
constexpr std::uint32_t kU32Max = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();
constexpr std::int64_t kI64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kI64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kMaxString = 65535;

// An error code and an API key no enum value names: the wire carries any u16.
constexpr ErrorCode kOddError = static_cast<ErrorCode>(kU16Max);
constexpr ApiKey kOddApi = static_cast<ApiKey>(kU16Max);

Bytes view(const Buffer& b) noexcept { return Bytes{b.data(), b.size()}; }

// A 65535-byte string using every byte value, NUL included.
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

template <typename M>
Buffer encode(const M& m) {
  ByteWriter w;
  m.encode(w);
  return w.take();
}

// Decodes `bytes` from an exactly sized heap copy (so ASan sees any overread)
// and requires the whole encoding to be consumed. The copy is kept alive in
// `storage` because decoded views point into it.
template <typename M>
M decode_exact(const Buffer& bytes, Buffer& storage) {
  storage = bytes;
  ByteReader r{view(storage)};
  M m = M::decode(r);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
  return m;
}

// --- field-wise comparison for structs without operator== --------------------

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

// encode -> decode -> compare, and decode -> encode gives the same bytes.
template <typename M>
void round_trip(const M& m) {
  const Buffer bytes = encode(m);
  Buffer storage;
  const M got = decode_exact<M>(bytes, storage);
  expect_equal(got, m);
  CHECK(encode(got) == bytes);
}

// --- sample messages: empty arrays, several entries, extreme values ----------

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

// --- every message type behind one interface ---------------------------------

struct Codec {
  std::string name;
  // Decodes from r; when r is ok afterwards, returns the result re-encoded.
  std::function<std::optional<Buffer>(ByteReader&)> decode;
  std::vector<Buffer> samples;  // valid encodings
};

template <typename M>
Codec make_codec(std::string name, const std::vector<M>& samples) {
  Codec c;
  c.name = std::move(name);
  c.decode = [](ByteReader& r) -> std::optional<Buffer> {
    const M m = M::decode(r);
    if (!r.ok()) return std::nullopt;
    return encode(m);
  };
  for (const auto& s : samples) c.samples.push_back(encode(s));
  return c;
}

const std::vector<Codec>& codecs() {
  static const std::vector<Codec> all = {
      make_codec("ApiVersionsRequest", api_versions_requests()),
      make_codec("ApiVersionsResponse", api_versions_responses()),
      make_codec("MetadataRequest", metadata_requests()),
      make_codec("MetadataResponse", metadata_responses()),
      make_codec("StatusResponse", status_responses()),
      make_codec("CreateTopicRequest", create_topic_requests()),
      make_codec("TopicRequest", topic_requests()),
      make_codec("DescribeConfigsResponse", describe_configs_responses()),
      make_codec("AlterConfigsRequest", alter_configs_requests()),
      make_codec("ProduceRequest", produce_requests()),
      make_codec("ProduceResponse", produce_responses()),
      make_codec("FetchRequest", fetch_requests()),
      make_codec("FetchResponse", fetch_responses()),
      make_codec("ListOffsetsRequest", list_offsets_requests()),
      make_codec("ListOffsetsResponse", list_offsets_responses()),
  };
  return all;
}

// Runs codec.decode over an exactly sized heap copy of `bytes`. Returns
// whether the reader was ok; if so, checks the re-encoding reproduces exactly
// the bytes consumed (the encoding is canonical).
bool decode_checked(const Codec& codec, const Buffer& bytes) {
  const Buffer copy = bytes;
  ByteReader r{view(copy)};
  const std::optional<Buffer> again = codec.decode(r);
  if (!again) {
    CHECK_FALSE(r.ok());
    CHECK(r.remaining() == 0);  // a failed reader stays at the end
    return false;
  }
  const std::size_t consumed = copy.size() - r.remaining();
  CHECK(*again == Buffer(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(consumed)));
  return true;
}

}  // namespace

// --- round trips ------------------------------------------------------------

TEST_CASE("wire: round trip of admin messages") {
  SUBCASE("ApiVersions") {
    for (const auto& m : api_versions_requests()) round_trip(m);
    CHECK(encode(ApiVersionsRequest{}).empty());
    for (const auto& m : api_versions_responses()) round_trip(m);
  }
  SUBCASE("Metadata") {
    for (const auto& m : metadata_requests()) round_trip(m);
    for (const auto& m : metadata_responses()) round_trip(m);
  }
  SUBCASE("StatusResponse") {
    for (const auto& m : status_responses()) round_trip(m);
  }
  SUBCASE("CreateTopic") {
    for (const auto& m : create_topic_requests()) round_trip(m);
  }
  SUBCASE("TopicRequest") {
    for (const auto& m : topic_requests()) round_trip(m);
  }
  SUBCASE("DescribeConfigs") {
    for (const auto& m : describe_configs_responses()) round_trip(m);
  }
  SUBCASE("AlterConfigs") {
    for (const auto& m : alter_configs_requests()) round_trip(m);
  }
}

TEST_CASE("wire: round trip of data messages") {
  SUBCASE("Produce") {
    for (const auto& m : produce_requests()) round_trip(m);
    for (const auto& m : produce_responses()) round_trip(m);
  }
  SUBCASE("Fetch") {
    for (const auto& m : fetch_requests()) round_trip(m);
    for (const auto& m : fetch_responses()) round_trip(m);
  }
  SUBCASE("ListOffsets") {
    for (const auto& m : list_offsets_requests()) round_trip(m);
    for (const auto& m : list_offsets_responses()) round_trip(m);
  }
}

TEST_CASE("wire: strings at the 65535-byte limit keep every byte") {
  const TopicRequest m{max_string()};
  const Buffer bytes = encode(m);
  REQUIRE(bytes.size() == 2 + kMaxString);
  CHECK(load_le<std::uint16_t>(bytes.data()) == kU16Max);
  Buffer storage;
  const TopicRequest got = decode_exact<TopicRequest>(bytes, storage);
  CHECK(got.name.size() == kMaxString);
  CHECK(got.name == max_string());
}

TEST_CASE("wire: status response byte layout is little-endian u16 error then u16 string") {
  const Buffer bytes = encode(StatusResponse{ErrorCode::frame_too_large, "ab"});
  CHECK(bytes == Buffer{16, 0, 2, 0, 'a', 'b'});
}

TEST_CASE("wire: produced batches are views into the frame buffer, writable through mutable_view") {
  const ProduceRequest m = produce_requests()[2];
  const Buffer bytes = encode(m);
  Buffer frame = bytes;  // the connection's buffer
  ByteReader r{view(frame)};
  const ProduceRequest got = ProduceRequest::decode(r);
  REQUIRE(r.ok());
  REQUIRE(r.remaining() == 0);
  expect_equal(got, m);

  const std::uint8_t* const lo = frame.data();
  const std::uint8_t* const hi = frame.data() + frame.size();
  const MutableBytes owner{frame.data(), frame.size()};
  std::size_t checked = 0;
  for (std::size_t t = 0; t < got.topics.size(); ++t) {
    for (std::size_t p = 0; p < got.topics[t].partitions.size(); ++p) {
      const Bytes batch = got.topics[t].partitions[p].batch;
      const Bytes want = m.topics[t].partitions[p].batch;
      CAPTURE(t);
      CAPTURE(p);
      // The view lies inside the frame, right after its u32 length.
      CHECK(batch.data() >= lo);
      CHECK(batch.data() + batch.size() <= hi);
      CHECK(batch.data() != want.data());  // not the encoder's storage
      const auto at = static_cast<std::size_t>(batch.data() - lo);
      REQUIRE(at >= 4);
      CHECK(load_le<std::uint32_t>(frame.data() + at - 4) == batch.size());
      CHECK(same_bytes(batch, want));

      const MutableBytes mv = mutable_view(owner, batch);
      CHECK(mv.data() == frame.data() + at);
      CHECK(mv.size() == batch.size());
      CHECK(same_bytes(Bytes{mv.data(), mv.size()}, batch));
      if (!mv.empty()) {
        // Writing through the mutable view changes the frame and the decoded view.
        const std::uint8_t before = mv[0];
        mv[0] = static_cast<std::uint8_t>(before ^ 0xFF);
        CHECK(frame[at] == static_cast<std::uint8_t>(before ^ 0xFF));
        CHECK(batch[0] == static_cast<std::uint8_t>(before ^ 0xFF));
        mv[0] = before;
      }
      ++checked;
    }
  }
  CHECK(checked == 5);
  CHECK(frame == bytes);

  // The whole frame as owner view of itself.
  const MutableBytes whole = mutable_view(owner, view(frame));
  CHECK(whole.data() == frame.data());
  CHECK(whole.size() == frame.size());
}

TEST_CASE("wire: fetch response puts u32 length then raw records after each partition header") {
  const Buffer records = pattern(37, 5);
  FetchPartitionHeader h;
  h.partition = 0x01020304;
  h.error = ErrorCode::offset_out_of_range;
  h.log_start = 0x1112131415161718ull;
  h.log_end = kU64Max;

  SUBCASE("FetchPartitionHeader::encode writes the fixed fields then records_length") {
    ByteWriter w;
    h.encode(w, 0xA1B2C3D4u);
    const Buffer got = w.take();
    const Buffer want = {0x04, 0x03, 0x02, 0x01,                          // partition
                         0x03, 0x00,                                      // error
                         0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11,  // log_start
                         0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  // log_end
                         0xD4, 0xC3, 0xB2, 0xA1};                         // records_length
    CHECK(got == want);
  }

  SUBCASE("FetchResponse::encode equals header encode + records, as the sendfile path writes it") {
    FetchResponse m;
    m.topics = {FetchTopicResult{"ab", {{h, view(records)}, {FetchPartitionHeader{}, Bytes{}}}}};
    const Buffer got = encode(m);

    // What a broker writing the header and then sendfile-ing the records produces.
    ByteWriter w;
    w.fixed<std::uint32_t>(1);  // topic count
    w.string("ab");
    w.fixed<std::uint32_t>(2);  // partition count
    h.encode(w, static_cast<std::uint32_t>(records.size()));
    w.raw(view(records));
    FetchPartitionHeader{}.encode(w, 0);
    CHECK(got == w.take());

    // And spelled out byte by byte.
    Buffer want = {1, 0, 0, 0, 2, 0, 'a', 'b', 2, 0, 0, 0};
    const Buffer header = {0x04, 0x03, 0x02, 0x01, 0x03, 0x00, 0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12,
                           0x11, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 37,   0,    0,    0};
    want.insert(want.end(), header.begin(), header.end());
    want.insert(want.end(), records.begin(), records.end());
    want.insert(want.end(), 26, 0);  // default header, records_length 0, no records
    CHECK(got == want);

    Buffer storage;
    const FetchResponse back = decode_exact<FetchResponse>(got, storage);
    expect_equal(back, m);
    REQUIRE(back.topics.size() == 1);
    REQUIRE(back.topics[0].partitions.size() == 2);
    // The decoded records are a view into the buffer right after the header.
    CHECK(back.topics[0].partitions[0].records.data() == storage.data() + 12 + 26);
    CHECK(back.topics[0].partitions[1].records.empty());
  }
}

// --- frames ------------------------------------------------------------------

namespace {

void expect_equal_header(const RequestHeader& got, const RequestHeader& want) {
  CHECK(got.api_key == want.api_key);
  CHECK(got.api_version == want.api_version);
  CHECK(got.correlation_id == want.correlation_id);
  CHECK(got.client_id == want.client_id);
}

// Frames `body` as a request, then parses it back the way the broker does.
template <typename M>
void request_frame_round_trip(const RequestHeader& h, const M& body) {
  ByteWriter w;
  begin_request(w, h);
  body.encode(w);
  finish_frame(w);
  const Buffer frame = w.take();
  REQUIRE(frame.size() >= kFrameSizeBytes);
  const std::uint32_t size = read_frame_size(frame.data());
  CHECK(size == frame.size() - kFrameSizeBytes);
  CHECK(check_frame_size(size, kMinRequestFrame, kDefaultMaxFrameBytes) == ErrorCode::none);

  const Buffer rest(frame.begin() + kFrameSizeBytes, frame.end());
  ByteReader r{view(rest)};
  expect_equal_header(read_request_header(r), h);
  REQUIRE(r.ok());
  const M got = M::decode(r);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
  expect_equal(got, body);
}

template <typename M>
void response_frame_round_trip(std::uint32_t correlation_id, const M& body) {
  ByteWriter w;
  begin_response(w, correlation_id);
  body.encode(w);
  finish_frame(w);
  const Buffer frame = w.take();
  const std::uint32_t size = read_frame_size(frame.data());
  CHECK(size == frame.size() - kFrameSizeBytes);
  CHECK(check_frame_size(size, kMinResponseFrame, kDefaultMaxFrameBytes) == ErrorCode::none);

  const Buffer rest(frame.begin() + kFrameSizeBytes, frame.end());
  ByteReader r{view(rest)};
  const ResponseHeader h = read_response_header(r);
  CHECK(h.correlation_id == correlation_id);
  CHECK(h.error == ErrorCode::none);
  const M got = M::decode(r);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
  expect_equal(got, body);
}

}  // namespace

TEST_CASE("wire: request and response frames carry their size and header") {
  SUBCASE("every request body in a request frame") {
    const RequestHeader h{ApiKey::produce, 0, 42, "client-1"};
    for (const auto& m : api_versions_requests()) request_frame_round_trip({ApiKey::api_versions, 0, 1, ""}, m);
    for (const auto& m : metadata_requests()) request_frame_round_trip({ApiKey::metadata, 3, 2, "c"}, m);
    for (const auto& m : create_topic_requests()) request_frame_round_trip({ApiKey::create_topic, 0, kU32Max, "c"}, m);
    for (const auto& m : topic_requests()) request_frame_round_trip({ApiKey::delete_topic, 0, 0, max_string()}, m);
    for (const auto& m : alter_configs_requests()) request_frame_round_trip({ApiKey::alter_configs, 0, 7, ""}, m);
    for (const auto& m : produce_requests()) request_frame_round_trip(h, m);
    for (const auto& m : fetch_requests()) request_frame_round_trip({ApiKey::fetch, kU16Max, 9, "f"}, m);
    for (const auto& m : list_offsets_requests()) request_frame_round_trip({ApiKey::list_offsets, 0, 1, "l"}, m);
  }
  SUBCASE("every response body in a response frame") {
    for (const auto& m : api_versions_responses()) response_frame_round_trip(1, m);
    for (const auto& m : metadata_responses()) response_frame_round_trip(kU32Max, m);
    for (const auto& m : status_responses()) response_frame_round_trip(0, m);
    for (const auto& m : describe_configs_responses()) response_frame_round_trip(5, m);
    for (const auto& m : produce_responses()) response_frame_round_trip(6, m);
    for (const auto& m : fetch_responses()) response_frame_round_trip(7, m);
    for (const auto& m : list_offsets_responses()) response_frame_round_trip(8, m);
  }
  SUBCASE("the smallest frames are exactly the documented minimums") {
    ByteWriter w;
    begin_request(w, RequestHeader{});
    finish_frame(w);
    CHECK(w.size() == kFrameSizeBytes + kMinRequestFrame);
    CHECK(read_frame_size(w.buffer().data()) == kMinRequestFrame);

    ByteWriter resp;
    begin_response(resp, 0);
    finish_frame(resp);
    CHECK(resp.size() == kFrameSizeBytes + kMinResponseFrame);
    CHECK(read_frame_size(resp.buffer().data()) == kMinResponseFrame);
  }
  SUBCASE("response header carries the correlation id and a request-level error") {
    for (const ErrorCode e : {ErrorCode::none, ErrorCode::unsupported_api, kOddError}) {
      ByteWriter w;
      begin_response(w, 0xA0B0C0D0u, e);
      finish_frame(w);
      const auto code = static_cast<std::uint16_t>(e);
      const Buffer want = {6, 0, 0, 0, 0xD0, 0xC0, 0xB0, 0xA0, static_cast<std::uint8_t>(code & 0xFF),
                           static_cast<std::uint8_t>(code >> 8)};
      CHECK(w.buffer() == want);
      const Buffer rest(w.buffer().begin() + kFrameSizeBytes, w.buffer().end());
      ByteReader r{view(rest)};
      const ResponseHeader h = read_response_header(r);
      CHECK(r.ok());
      CHECK(r.remaining() == 0);
      CHECK(h.correlation_id == 0xA0B0C0D0u);
      CHECK(h.error == e);
      for (std::size_t n = 0; n < rest.size(); ++n) {
        const Buffer cut(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(n));
        ByteReader rc{view(cut)};
        (void)read_response_header(rc);
        CAPTURE(n);
        CHECK_FALSE(rc.ok());
      }
    }
  }
  SUBCASE("error_response_frame: header with the error, body one string") {
    const std::string long_message(70000, 'm');
    for (const std::string& message : {std::string{}, std::string{"unknown api key 99"}, max_string(), long_message}) {
      const Buffer frame = error_response_frame(77, ErrorCode::unsupported_api, message);
      REQUIRE(frame.size() >= kFrameSizeBytes);
      const std::uint32_t size = read_frame_size(frame.data());
      CHECK(size == frame.size() - kFrameSizeBytes);
      CHECK(check_frame_size(size, kMinResponseFrame, kDefaultMaxFrameBytes) == ErrorCode::none);
      const Buffer rest(frame.begin() + kFrameSizeBytes, frame.end());
      ByteReader r{view(rest)};
      const ResponseHeader h = read_response_header(r);
      CHECK(h.correlation_id == 77);
      CHECK(h.error == ErrorCode::unsupported_api);
      const std::string body(read_string(r));
      CHECK(r.ok());
      CHECK(r.remaining() == 0);
      // Messages longer than a wire string are cut to 65535 bytes.
      CHECK(body == message.substr(0, kMaxString));
    }
  }
  SUBCASE("request header byte layout") {
    ByteWriter w;
    begin_request(w, RequestHeader{ApiKey::fetch, 0x0102, 0xA0B0C0D0u, "id"});
    finish_frame(w);
    const Buffer want = {12, 0, 0, 0, 7, 0, 0x02, 0x01, 0xD0, 0xC0, 0xB0, 0xA0, 2, 0, 'i', 'd'};
    CHECK(w.buffer() == want);
  }
  SUBCASE("frames after the first use finish_frame's frame_start") {
    ByteWriter w;
    begin_response(w, 1);
    StatusResponse{ErrorCode::none, "first"}.encode(w);
    finish_frame(w);
    const std::size_t second = w.size();
    begin_request(w, RequestHeader{ApiKey::metadata, 0, 2, "cli"});
    MetadataRequest{{"a", "b"}}.encode(w);
    finish_frame(w, second);
    const Buffer all = w.take();

    const std::uint32_t first_size = read_frame_size(all.data());
    REQUIRE(first_size + kFrameSizeBytes == second);
    const std::uint32_t second_size = read_frame_size(all.data() + second);
    CHECK(second + kFrameSizeBytes + second_size == all.size());

    ByteReader r{Bytes{all.data() + second + kFrameSizeBytes, second_size}};
    expect_equal_header(read_request_header(r), RequestHeader{ApiKey::metadata, 0, 2, "cli"});
    CHECK(MetadataRequest::decode(r).topics == std::vector<std::string>{"a", "b"});
    CHECK(r.ok());
    CHECK(r.remaining() == 0);
  }
  SUBCASE("request header round trip with extreme values") {
    for (const RequestHeader& h : {RequestHeader{}, RequestHeader{ApiKey::list_offsets, kU16Max, kU32Max, "x"},
                                   RequestHeader{kOddApi, 0, 0, max_string()}}) {
      ByteWriter w;
      begin_request(w, h);
      finish_frame(w);
      const Buffer frame = w.take();
      CHECK(read_frame_size(frame.data()) == frame.size() - kFrameSizeBytes);
      const Buffer rest(frame.begin() + kFrameSizeBytes, frame.end());
      ByteReader r{view(rest)};
      expect_equal_header(read_request_header(r), h);
      CHECK(r.ok());
      CHECK(r.remaining() == 0);
    }
  }
  SUBCASE("every truncation of a request header fails") {
    ByteWriter w;
    begin_request(w, RequestHeader{ApiKey::fetch, 1, 2, "client"});
    const Buffer full(w.buffer().begin() + kFrameSizeBytes, w.buffer().end());
    for (std::size_t n = 0; n < full.size(); ++n) {
      const Buffer cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
      ByteReader r{view(cut)};
      (void)read_request_header(r);
      CAPTURE(n);
      CHECK_FALSE(r.ok());
    }
  }
}

TEST_CASE("wire: check_frame_size bounds") {
  const std::uint32_t min = kMinRequestFrame;
  const std::uint32_t max = kDefaultMaxFrameBytes;
  CHECK(check_frame_size(min, min, max) == ErrorCode::none);
  CHECK(check_frame_size(min + 1, min, max) == ErrorCode::none);
  CHECK(check_frame_size(4096, min, max) == ErrorCode::none);
  CHECK(check_frame_size(max, min, max) == ErrorCode::none);
  CHECK(check_frame_size(max + 1, min, max) == ErrorCode::frame_too_large);
  CHECK(check_frame_size(1u << 31, min, max) == ErrorCode::frame_too_large);
  CHECK(check_frame_size(kU32Max, min, max) == ErrorCode::frame_too_large);
  CHECK(check_frame_size(min - 1, min, max) == ErrorCode::invalid_request);
  CHECK(check_frame_size(0, min, max) == ErrorCode::invalid_request);
  CHECK(check_frame_size(0, kMinResponseFrame, max) == ErrorCode::invalid_request);
  CHECK(check_frame_size(kMinResponseFrame - 1, kMinResponseFrame, max) == ErrorCode::invalid_request);
  CHECK(check_frame_size(kMinResponseFrame, kMinResponseFrame, max) == ErrorCode::none);

  // A 4 GiB prefix (0xFFFFFFFF) is read as such and refused.
  const std::uint8_t huge[4] = {0xFF, 0xFF, 0xFF, 0xFF};
  CHECK(read_frame_size(huge) == kU32Max);
  CHECK(check_frame_size(read_frame_size(huge), min, max) == ErrorCode::frame_too_large);
  CHECK(check_frame_size(read_frame_size(huge), min, kU32Max) == ErrorCode::none);
  const std::uint8_t just_over[4] = {0x01, 0x00, 0x00, 0x04};  // 64 MiB + 1
  CHECK(read_frame_size(just_over) == max + 1);
  CHECK(check_frame_size(read_frame_size(just_over), min, max) == ErrorCode::frame_too_large);
  const std::uint8_t nine[4] = {9, 0, 0, 0};
  CHECK(check_frame_size(read_frame_size(nine), min, max) == ErrorCode::invalid_request);
}

// --- hostile input ------------------------------------------------------------

TEST_CASE("wire: every truncation of every valid encoding fails") {
  for (const Codec& codec : codecs()) {
    CAPTURE(codec.name);
    for (std::size_t s = 0; s < codec.samples.size(); ++s) {
      const Buffer& full = codec.samples[s];
      CAPTURE(s);
      REQUIRE(decode_checked(codec, full));
      // Every cut of small encodings; for the 64 KiB-string ones, the first and
      // last 300 cuts and every 61st in between.
      for (std::size_t n = 0; n < full.size(); ++n) {
        if (full.size() > 8192 && n > 300 && n + 300 < full.size() && n % 61 != 0) continue;
        const Buffer cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
        ByteReader r{view(cut)};
        const std::optional<Buffer> got = codec.decode(r);
        if (got.has_value() || r.ok()) {
          CAPTURE(n);
          FAIL_CHECK("truncated encoding decoded as ok");
        }
      }
    }
  }
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kQuick = std::chrono::milliseconds(250);

// Decodes hostile bytes as M: the reader must fail, quickly, and `inspect`
// checks nothing large was reserved.
template <typename M, typename Inspect>
void expect_rejected(const Buffer& bytes, Inspect inspect) {
  const Buffer copy = bytes;
  ByteReader r{view(copy)};
  const auto t0 = Clock::now();
  const M m = M::decode(r);
  const auto elapsed = Clock::now() - t0;
  CHECK_FALSE(r.ok());
  CHECK(elapsed < kQuick);
  inspect(m);
}

Buffer huge_count_after(const std::function<void(ByteWriter&)>& prefix, std::size_t tail_bytes = 16) {
  ByteWriter w;
  prefix(w);
  w.fixed(kU32Max);
  w.raw(view(Buffer(tail_bytes, 1)));
  return w.take();
}

// The broker's usual outer topic array with one empty-named topic whose
// partition array claims 0xFFFFFFFF entries.
Buffer huge_nested_count(const std::function<void(ByteWriter&)>& prefix) {
  return huge_count_after([&](ByteWriter& w) {
    prefix(w);
    w.fixed<std::uint32_t>(1);
    w.string("");
  }, 64);
}

template <typename Topics>
void expect_small_topics(const Topics& topics) {
  CHECK(topics.capacity() <= 1);
  for (const auto& t : topics) {
    CHECK(t.partitions.empty());
    CHECK(t.partitions.capacity() == 0);
  }
}

}  // namespace

TEST_CASE("wire: an array count of 0xFFFFFFFF fails without allocating") {
  const auto nothing = [](ByteWriter&) {};

  SUBCASE("ApiVersionsResponse") {
    expect_rejected<ApiVersionsResponse>(huge_count_after([](ByteWriter& w) { write_error(w, ErrorCode::none); }),
                                         [](const ApiVersionsResponse& m) {
                                           CHECK(m.apis.empty());
                                           CHECK(m.apis.capacity() == 0);
                                         });
  }
  SUBCASE("MetadataRequest") {
    expect_rejected<MetadataRequest>(huge_count_after(nothing), [](const MetadataRequest& m) {
      CHECK(m.topics.empty());
      CHECK(m.topics.capacity() == 0);
    });
  }
  SUBCASE("MetadataResponse") {
    expect_rejected<MetadataResponse>(huge_count_after(nothing), [](const MetadataResponse& m) {
      CHECK(m.topics.empty());
      CHECK(m.topics.capacity() == 0);
    });
    const Buffer nested = huge_count_after([](ByteWriter& w) {
      w.fixed<std::uint32_t>(1);
      write_error(w, ErrorCode::none);
      w.string("t");
    }, 64);
    expect_rejected<MetadataResponse>(nested, [](const MetadataResponse& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("CreateTopicRequest") {
    expect_rejected<CreateTopicRequest>(huge_count_after([](ByteWriter& w) {
      w.string("t");
      w.fixed<std::uint32_t>(3);
    }), [](const CreateTopicRequest& m) {
      CHECK(m.configs.empty());
      CHECK(m.configs.capacity() == 0);
    });
  }
  SUBCASE("DescribeConfigsResponse") {
    expect_rejected<DescribeConfigsResponse>(huge_count_after([](ByteWriter& w) {
      write_error(w, ErrorCode::none);
      w.string("");
    }), [](const DescribeConfigsResponse& m) {
      CHECK(m.configs.empty());
      CHECK(m.configs.capacity() == 0);
    });
  }
  SUBCASE("AlterConfigsRequest") {
    expect_rejected<AlterConfigsRequest>(huge_count_after([](ByteWriter& w) { w.string("t"); }),
                                         [](const AlterConfigsRequest& m) {
                                           CHECK(m.configs.empty());
                                           CHECK(m.configs.capacity() == 0);
                                         });
  }
  const auto produce_prefix = [](ByteWriter& w) {
    w.fixed<std::uint8_t>(1);
    w.fixed<std::uint32_t>(1000);
  };
  const auto fetch_prefix = [](ByteWriter& w) {
    w.fixed<std::uint32_t>(1);
    w.fixed<std::uint32_t>(2);
    w.fixed<std::uint32_t>(3);
  };
  SUBCASE("ProduceRequest") {
    expect_rejected<ProduceRequest>(huge_count_after(produce_prefix),
                                    [](const ProduceRequest& m) { expect_small_topics(m.topics); });
    expect_rejected<ProduceRequest>(huge_nested_count(produce_prefix),
                                    [](const ProduceRequest& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("ProduceResponse") {
    expect_rejected<ProduceResponse>(huge_count_after(nothing),
                                     [](const ProduceResponse& m) { expect_small_topics(m.topics); });
    expect_rejected<ProduceResponse>(huge_nested_count(nothing),
                                     [](const ProduceResponse& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("FetchRequest") {
    expect_rejected<FetchRequest>(huge_count_after(fetch_prefix),
                                  [](const FetchRequest& m) { expect_small_topics(m.topics); });
    expect_rejected<FetchRequest>(huge_nested_count(fetch_prefix),
                                  [](const FetchRequest& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("FetchResponse") {
    expect_rejected<FetchResponse>(huge_count_after(nothing),
                                   [](const FetchResponse& m) { expect_small_topics(m.topics); });
    expect_rejected<FetchResponse>(huge_nested_count(nothing),
                                   [](const FetchResponse& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("ListOffsetsRequest") {
    expect_rejected<ListOffsetsRequest>(huge_count_after(nothing),
                                        [](const ListOffsetsRequest& m) { expect_small_topics(m.topics); });
    expect_rejected<ListOffsetsRequest>(huge_nested_count(nothing),
                                        [](const ListOffsetsRequest& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("ListOffsetsResponse") {
    expect_rejected<ListOffsetsResponse>(huge_count_after(nothing),
                                         [](const ListOffsetsResponse& m) { expect_small_topics(m.topics); });
    expect_rejected<ListOffsetsResponse>(huge_nested_count(nothing),
                                         [](const ListOffsetsResponse& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("a count just above what the bytes left could hold") {
    // 3 entries need at least 3 * 6 bytes; 17 follow.
    ByteWriter w;
    write_error(w, ErrorCode::none);
    w.fixed<std::uint32_t>(3);
    w.raw(view(Buffer(17, 0)));
    expect_rejected<ApiVersionsResponse>(w.take(), [](const ApiVersionsResponse& m) {
      CHECK(m.apis.capacity() == 0);
    });
  }
}

TEST_CASE("wire: lengths of 0xFFFF strings and 0xFFFFFFFF blobs with few bytes fail") {
  SUBCASE("string") {
    ByteWriter w;
    w.fixed(kU16Max);
    w.raw(view(Buffer(100, 'a')));
    expect_rejected<TopicRequest>(w.take(), [](const TopicRequest& m) { CHECK(m.name.empty()); });
  }
  SUBCASE("produce batch blob") {
    ByteWriter w;
    w.fixed<std::uint8_t>(2);
    w.fixed<std::uint32_t>(0);
    w.fixed<std::uint32_t>(1);
    w.string("t");
    w.fixed<std::uint32_t>(1);
    w.fixed<std::uint32_t>(0);  // partition
    w.fixed(kU32Max);           // batch length
    w.raw(view(Buffer(100, 0)));
    expect_rejected<ProduceRequest>(w.take(), [](const ProduceRequest& m) {
      for (const auto& t : m.topics)
        for (const auto& p : t.partitions) CHECK(p.batch.empty());
    });
  }
  SUBCASE("fetch records blob") {
    ByteWriter w;
    w.fixed<std::uint32_t>(1);
    w.string("t");
    w.fixed<std::uint32_t>(1);
    FetchPartitionHeader{}.encode(w, kU32Max);
    w.raw(view(Buffer(100, 0)));
    expect_rejected<FetchResponse>(w.take(), [](const FetchResponse& m) {
      for (const auto& t : m.topics)
        for (const auto& p : t.partitions) CHECK(p.records.empty());
    });
  }
}

TEST_CASE("wire: ProduceRequest with an acks byte above 2 fails") {
  const Buffer valid = encode(produce_requests()[2]);
  for (std::uint8_t acks : {std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{2}}) {
    Buffer b = valid;
    b[0] = acks;
    ByteReader r{view(b)};
    const ProduceRequest m = ProduceRequest::decode(r);
    CAPTURE(int{acks});
    CHECK(r.ok());
    CHECK(r.remaining() == 0);
    CHECK(static_cast<std::uint8_t>(m.acks) == acks);
  }
  for (std::uint8_t acks : {std::uint8_t{3}, std::uint8_t{4}, std::uint8_t{0x80}, std::uint8_t{0xFF}}) {
    Buffer b = valid;
    b[0] = acks;
    ByteReader r{view(b)};
    (void)ProduceRequest::decode(r);
    CAPTURE(int{acks});
    CHECK_FALSE(r.ok());
  }
  // Also on the smallest possible produce request.
  const Buffer tiny = {3, 0, 0, 0, 0, 0, 0, 0, 0};
  ByteReader r{view(tiny)};
  (void)ProduceRequest::decode(r);
  CHECK_FALSE(r.ok());
}

TEST_CASE("wire: 20000 random buffers through every decode never crash") {
  std::mt19937 rng(20240531u);  // fixed seed: reproducible
  const auto below = [&rng](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
  std::vector<std::size_t> ok_counts(codecs().size(), 0);
  for (int i = 0; i < 20000; ++i) {
    const std::size_t len = below(8) == 0 ? below(1024) : below(96);
    Buffer b(len);
    const bool small_values = (i % 2) == 1;  // half the buffers favour small counts and lengths
    for (auto& byte : b) {
      if (!small_values) {
        byte = static_cast<std::uint8_t>(below(256));
      } else {
        const std::uint32_t roll = below(16);
        byte = static_cast<std::uint8_t>(roll < 9 ? 0 : roll < 15 ? below(4) : below(256));
      }
    }
    for (std::size_t c = 0; c < codecs().size(); ++c)
      if (decode_checked(codecs()[c], b)) ++ok_counts[c];

    // Frame headers too: when they decode, re-encoding gives the bytes consumed.
    {
      ByteReader r{view(b)};
      const RequestHeader h = read_request_header(r);
      if (r.ok()) {
        ByteWriter w;
        begin_request(w, h);
        const std::size_t consumed = b.size() - r.remaining();
        CHECK(Buffer(w.buffer().begin() + kFrameSizeBytes, w.buffer().end()) ==
              Buffer(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(consumed)));
      }
    }
    {
      ByteReader r{view(b)};
      const ResponseHeader h = read_response_header(r);
      CHECK(r.ok() == (b.size() >= kMinResponseFrame));
      if (r.ok()) {
        ByteWriter w;
        begin_response(w, h.correlation_id, h.error);
        CHECK(Buffer(w.buffer().begin() + kFrameSizeBytes, w.buffer().end()) ==
              Buffer(b.begin(), b.begin() + kMinResponseFrame));
      }
    }
  }
  for (std::size_t c = 0; c < codecs().size(); ++c) MESSAGE(codecs()[c].name, " decoded ok: ", ok_counts[c]);
  CHECK(ok_counts[0] == 20000);  // ApiVersionsRequest has no body: anything decodes
}

TEST_CASE("wire: 20000 mutated valid encodings through every decode never crash") {
  std::mt19937 rng(7u);
  const auto below = [&rng](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  // Small samples only, so mutations land in structure rather than in 64 KiB strings.
  std::vector<const Buffer*> pool;
  for (const Codec& codec : codecs())
    for (const Buffer& s : codec.samples)
      if (!s.empty() && s.size() < 8192) pool.push_back(&s);
  REQUIRE(!pool.empty());
  std::size_t ok_total = 0;
  for (int i = 0; i < 20000; ++i) {
    Buffer b = *pool[below(pool.size())];
    const std::size_t edits = 1 + below(3);
    for (std::size_t e = 0; e < edits && !b.empty(); ++e) {
      const std::size_t at = below(b.size());
      switch (below(5)) {
        case 0: b[at] = static_cast<std::uint8_t>(b[at] ^ (1u << below(8))); break;
        case 1: b[at] = static_cast<std::uint8_t>(below(256)); break;
        case 2: b[at] = 0xFF; break;
        case 3: b.resize(at); break;
        default: b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::uint8_t>(below(256))); break;
      }
    }
    for (const Codec& codec : codecs())
      if (&codec != &codecs()[0] && decode_checked(codec, b)) ++ok_total;
  }
  MESSAGE("mutated buffers decoded ok (excluding ApiVersionsRequest): ", ok_total);
  CHECK(ok_total > 0);
}

// --- error codes and API names ------------------------------------------------

TEST_CASE("wire: error_info names every code distinctly with advice") {
  std::set<std::string_view> names;
  for (std::uint16_t n = 0; n <= 18; ++n) {
    const ErrorInfo info = error_info(static_cast<ErrorCode>(n));
    CAPTURE(n);
    CAPTURE(info.name);
    REQUIRE_FALSE(info.name.empty());
    bool upper_snake = info.name.front() != '_' && info.name.back() != '_' &&
                       info.name.find("__") == std::string_view::npos &&
                       info.name.front() >= 'A' && info.name.front() <= 'Z';
    for (const char ch : info.name) upper_snake = upper_snake && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_');
    CHECK(upper_snake);
    CHECK(info.name != "UNKNOWN_ERROR");
    CHECK(names.insert(info.name).second);
    if (n != 0) CHECK_FALSE(info.advice.empty());
  }
  CHECK(names.size() == 19);
  CHECK(error_info(ErrorCode::none).name == "NONE");
  CHECK_FALSE(error_info(ErrorCode::none).retriable);
  CHECK(error_info(ErrorCode::frame_too_large).name == "FRAME_TOO_LARGE");
  CHECK(error_info(ErrorCode::broker_shutting_down).name == "BROKER_SHUTTING_DOWN");

  for (const std::uint16_t unknown : {std::uint16_t{19}, std::uint16_t{999}, kU16Max}) {
    const ErrorInfo info = error_info(static_cast<ErrorCode>(unknown));
    CAPTURE(unknown);
    CHECK(info.name == "UNKNOWN_ERROR");
    CHECK_FALSE(info.advice.empty());
  }
}

TEST_CASE("wire: api_name names every ApiKey distinctly") {
  std::set<std::string_view> names;
  for (std::uint16_t k = 0; k < kApiKeyCount; ++k) {
    const std::string_view name = api_name(static_cast<ApiKey>(k));
    CAPTURE(k);
    CAPTURE(name);
    CHECK_FALSE(name.empty());
    CHECK(name != "Unknown");
    CHECK(names.insert(name).second);
  }
  CHECK(names.size() == kApiKeyCount);
  CHECK(api_name(ApiKey::list_offsets) == "ListOffsets");
  // kApiKeyCount covers exactly the named keys.
  CHECK(api_name(static_cast<ApiKey>(kApiKeyCount)) == "Unknown");
  CHECK(api_name(kOddApi) == "Unknown");
}
