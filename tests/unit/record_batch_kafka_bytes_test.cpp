// The codec against a fixed byte string built by hand from Kafka's
// published RecordBatch v2 layout (the protocol guide's "Record Batch" and
// "Record" sections), CRC-32C computed by an independent implementation: not
// against strata's own encoder, so a symmetric bug in writer and reader
// cannot pass.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "record_batch_test_util.h"

namespace strata::test::batch {
namespace {

// Two records: (ts 1000, key "k", value "v") and (ts 1001, null key, value
// "hello", header h=x); no producer; leader epoch -1 as a producer sends it.
const Buffer kTwoRecords = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // baseOffset 0
    0x00, 0x00, 0x00, 0x4a,                          // batchLength 74
    0xff, 0xff, 0xff, 0xff,                          // partitionLeaderEpoch -1
    0x02,                                            // magic 2
    0x0a, 0xa6, 0xca, 0xdd,                          // crc
    0x00, 0x00,                                      // attributes: none, CreateTime
    0x00, 0x00, 0x00, 0x01,                          // lastOffsetDelta 1
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe8,  // baseTimestamp 1000
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe9,  // maxTimestamp 1001
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // producerId -1
    0xff, 0xff,                                      // producerEpoch -1
    0xff, 0xff, 0xff, 0xff,                          // baseSequence -1
    0x00, 0x00, 0x00, 0x02,                          // recordCount 2
    // record 0: length 8, attributes, tsDelta 0, offsetDelta 0, key "k", value "v", 0 headers
    0x10, 0x00, 0x00, 0x00, 0x02, 0x6b, 0x02, 0x76, 0x00,
    // record 1: length 15, attributes, tsDelta 1, offsetDelta 1, key null, value "hello",
    // 1 header: key "h", value "x"
    0x1e, 0x00, 0x02, 0x02, 0x01, 0x0a, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x02, 0x02, 0x68, 0x02, 0x78};

}  // namespace

TEST_CASE("kafka bytes: BatchBuilder writes exactly the published layout") {
  protocol::BatchBuilder builder;
  builder.add(1000, bytes_of("k"), bytes_of("v"));
  const std::array<RecordHeader, 1> hs{RecordHeader{bytes_of("h"), bytes_of("x")}};
  builder.add(1001, std::nullopt, bytes_of("hello"), hs);
  CHECK(builder.finish() == kTwoRecords);
}

TEST_CASE("kafka bytes: the published layout decodes field by field") {
  const BatchHeader h = validated(kTwoRecords);
  CHECK(h.base_offset == 0);
  CHECK(h.batch_length == 74);
  CHECK(h.leader_epoch == -1);
  CHECK(h.crc == 0x0aa6cadd);
  CHECK(h.compression() == protocol::Compression::none);
  CHECK(h.last_offset_delta == 1);
  CHECK(h.base_timestamp == 1000);
  CHECK(h.max_timestamp == 1001);
  CHECK(h.producer_id == -1);
  CHECK(h.producer_epoch == -1);
  CHECK(h.base_sequence == -1);
  CHECK(h.record_count == 2);
  const auto recs = read_all(view(kTwoRecords), h);
  REQUIRE(recs.size() == 2);
  CHECK(str(*recs[0].key) == "k");
  CHECK(str(*recs[0].value) == "v");
  CHECK(recs[0].timestamp == 1000);
  CHECK_FALSE(recs[1].key.has_value());
  CHECK(str(*recs[1].value) == "hello");
  CHECK(recs[1].offset == 1);
  const auto headers = protocol::decode_headers(recs[1]);
  REQUIRE(headers.size() == 1);
  CHECK(str(headers[0].name) == "h");
  CHECK(str(*headers[0].value) == "x");
}

TEST_CASE("kafka bytes: a null header value is kept apart from an empty one") {
  protocol::BatchBuilder builder;
  const std::array<RecordHeader, 2> hs{RecordHeader{bytes_of("null"), std::nullopt},
                                       RecordHeader{bytes_of("empty"), bytes_of("")}};
  builder.add(1, std::nullopt, bytes_of("v"), hs);
  const Buffer b = builder.finish();
  const auto recs = read_all(view(b), validated(b));
  const auto got = protocol::decode_headers(recs.at(0));
  REQUIRE(got.size() == 2);
  CHECK_FALSE(got[0].value.has_value());
  REQUIRE(got[1].value.has_value());
  CHECK(got[1].value->empty());
}

TEST_CASE("kafka bytes: LogAppendTime batches report maxTimestamp for every record") {
  Buffer b = kTwoRecords;
  put_field<std::uint16_t>(b, layout::kAttributes, protocol::batch_attributes::kLogAppendTime);
  put_field<std::int64_t>(b, layout::kMaxTimestamp, 5000);
  fix_checksum(b);
  const BatchHeader h = validated(b);  // a reader accepts it: the broker set the time
  CHECK(h.log_append_time());
  for (const auto& r : read_all(view(b), h)) CHECK(r.timestamp == 5000);
  // A producer may not choose it: the topic's timestamp type decides.
  CHECK(append_rejection(b) == BatchErrc::unsupported_attributes);
}

}  // namespace strata::test::batch
