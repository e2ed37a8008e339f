// Produce 3-7 and Fetch 4-11: requests as clients send them decoded to the
// expected structs, responses encoded to bytes spelled out per version.
#include <doctest/doctest.h>

#include <string>

#include "protocol/kafka/fetch.h"
#include "protocol/kafka/frame.h"
#include "protocol/kafka/produce.h"
#include "tests/kafka/kafka_samples.h"
#include "tests/kafka/kafka_test_util.h"

namespace strata::kafka::test {
namespace {

std::string as_string(Bytes b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

TEST_CASE("kafka Produce request v3-v7: records are views of the body's bytes") {
  for (std::int16_t v = 3; v <= 7; ++v) {
    CAPTURE(v);
    const Be body = produce_request(v);
    auto r = ProduceRequest::decode(body.view(), v);
    REQUIRE(r);
    const ProduceRequest& m = r.value();
    CHECK_FALSE(m.transactional_id.has_value());
    CHECK(m.acks == -1);
    CHECK(m.timeout_ms == 30000);
    REQUIRE(m.topics.size() == 1);
    CHECK(m.topics[0].name == "t");
    REQUIRE(m.topics[0].partitions.size() == 2);
    CHECK(m.topics[0].partitions[0].partition == 0);
    REQUIRE(m.topics[0].partitions[0].records.has_value());
    CHECK(as_string(*m.topics[0].partitions[0].records) == "abc");
    CHECK(m.topics[0].partitions[0].records->data() == body.view().data() + 27);
    CHECK(m.topics[0].partitions[1].partition == 1);
    CHECK_FALSE(m.topics[0].partitions[1].records.has_value());
  }
  Be transactional;
  transactional.str("txn").i16(1).i32(5).i32(0);
  auto t = ProduceRequest::decode(transactional.view(), 3);
  REQUIRE(t);
  CHECK(t.value().transactional_id == "txn");
  CHECK(t.value().acks == 1);
}

TEST_CASE("kafka Produce response v3-v7: LogStartOffset from v5") {
  ProduceResponse resp;
  resp.topics.push_back({"t", {{0, KafkaError::none, 100, -1, 7}, {1, KafkaError::not_leader_or_follower, -1, -1, -1}}});
  resp.throttle_time_ms = 3;
  for (std::int16_t v = 3; v <= 7; ++v) {
    CAPTURE(v);
    Be e;
    e.i32(1).str("t").i32(2);
    e.i32(0).i16(0).i64(100).i64(-1);
    if (v >= 5) e.i64(7);
    e.i32(1).i16(6).i64(-1).i64(-1);
    if (v >= 5) e.i64(-1);
    e.i32(3);
    CHECK(encode_body(resp, ApiKey::produce, v) == e.bytes());
  }
}

TEST_CASE("kafka Fetch request v4-v11: sessions from v7, leader epoch from v9, rack from v11") {
  for (std::int16_t v = 4; v <= 11; ++v) {
    CAPTURE(v);
    auto r = FetchRequest::decode(fetch_request(v).view(), v);
    REQUIRE(r);
    FetchRequest expected;
    expected.replica_id = -1;
    expected.max_wait_ms = 500;
    expected.min_bytes = 1;
    expected.max_bytes = 52428800;
    expected.isolation_level = 0;
    expected.session_id = 0;
    expected.session_epoch = -1;
    expected.topics = {{"t", {{0, -1, 42, -1, 1048576}}}};
    if (v >= 7) expected.forgotten = {{"old", {1, 2}}};
    if (v >= 11) expected.rack_id = "rack-a";
    CHECK(r.value() == expected);
  }
}

FetchResponse sample_fetch_response(const std::string& records) {
  FetchResponse resp;
  resp.throttle_time_ms = 0;
  FetchPartitionResponse p0{0, KafkaError::none, 10, 10, 2, -1, static_cast<std::int32_t>(records.size()), {}};
  p0.records = {reinterpret_cast<const std::uint8_t*>(records.data()), records.size()};
  FetchPartitionResponse p1{1, KafkaError::offset_out_of_range, 5, 5, 0, -1, -1, {}};
  resp.topics.push_back({"t", {p0, p1}});
  return resp;
}

Be expected_fetch_body(std::int16_t v, const std::string& records) {
  Be e;
  e.i32(0);
  if (v >= 7) e.i16(0).i32(0);
  e.i32(1).str("t").i32(2);
  e.i32(0).i16(0).i64(10).i64(10);
  if (v >= 5) e.i64(2);
  e.i32(0);
  if (v >= 11) e.i32(-1);
  e.i32(static_cast<std::int32_t>(records.size())).text(records);
  e.i32(1).i16(1).i64(5).i64(5);
  if (v >= 5) e.i64(0);
  e.i32(0);
  if (v >= 11) e.i32(-1);
  e.i32(-1);
  return e;
}

TEST_CASE("kafka Fetch response v4-v11: LastStableOffset, session id 0 from v7, PreferredReadReplica -1 from v11") {
  const std::string records = "BATCHBYTES";
  for (std::int16_t v = 4; v <= 11; ++v) {
    CAPTURE(v);
    CHECK(encode_body(sample_fetch_response(records), ApiKey::fetch, v) == expected_fetch_body(v, records).bytes());
  }
}

TEST_CASE("kafka Fetch response without records: the slots put the records back exactly where they belong") {
  const std::string records = "BATCHBYTES";
  const ApiVersionRange& api = *find_api(1);
  for (std::int16_t v = 4; v <= 11; ++v) {
    CAPTURE(v);
    const FetchResponse resp = sample_fetch_response(records);
    Writer w = begin_response(77, api, v);
    const std::vector<RecordsSlot> slots = resp.encode_without_records(w, v);
    REQUIRE(slots.size() == 1);
    CHECK(slots[0].topic == 0);
    CHECK(slots[0].partition == 0);
    CHECK(slots[0].size == records.size());
    const std::vector<std::uint8_t> head = finish_response(std::move(w), slots[0].size);
    const std::vector<FetchPiece> pieces = split_at_slots(head, slots);
    REQUIRE(pieces.size() == 2);
    CHECK(pieces[0].slot == 0u);
    CHECK_FALSE(pieces[1].slot.has_value());
    std::vector<std::uint8_t> frame = pieces[0].bytes;
    frame.insert(frame.end(), records.begin(), records.end());
    frame.insert(frame.end(), pieces[1].bytes.begin(), pieces[1].bytes.end());

    Be expected;
    expected.i32(0).i32(77).raw(expected_fetch_body(v, records).bytes()).patch_frame_size();
    CHECK(frame == expected.bytes());
  }
}

TEST_CASE("kafka Fetch overhead: the frame's size less its records, for every version") {
  const std::string records = "BATCHBYTES";
  for (std::int16_t v = 4; v <= 11; ++v) {
    CAPTURE(v);
    FetchRequest request;
    request.topics = {{"t", {{0, -1, 0, -1, 1024}, {1, -1, 0, -1, 1024}}}};
    Be frame;
    frame.i32(0).i32(77).raw(expected_fetch_body(v, records).bytes());
    CHECK(fetch_response_overhead(request, v) == frame.bytes().size() - records.size());
  }
}

}  // namespace
}  // namespace strata::kafka::test
