// One hand-corrupted batch per BatchErrc value that validation finds in the
// records: empty_batch, record_count_mismatch, malformed_record,
// offset_delta_mismatch, last_offset_delta_mismatch, timestamp_mismatch.
// The batches are crafted field by field from Kafka's published record
// layout (not by BatchBuilder), so any field can lie while length and CRC
// stay right.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>  // doctest prints std::error_code through operator<<
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/batch_validator.h"
#include "protocol/byte_io.h"
#include "record_batch_test_util.h"

namespace strata::test::batch {
namespace {

// Appends LEB128 / zigzag values to a buffer.
struct Writer {
  Buffer out;
  void uv(std::uint64_t v) {
    std::array<std::uint8_t, protocol::kMaxVarintBytes> tmp{};
    const std::uint8_t* begin = tmp.data();
    const std::uint8_t* end = protocol::put_uvarint(tmp.data(), v);
    out.insert(out.end(), begin, end);
  }
  void sv(std::int64_t v) {
    std::array<std::uint8_t, protocol::kMaxVarintBytes> tmp{};
    const std::uint8_t* begin = tmp.data();
    const std::uint8_t* end = protocol::put_varint(tmp.data(), v);
    out.insert(out.end(), begin, end);
  }
  void raw(Bytes b) { out.insert(out.end(), b.begin(), b.end()); }
  void raw(std::string_view s) { raw(bytes_of(s)); }
};

// A record written field by field, so a test can make any field lie.
struct RawRecord {
  std::int8_t attributes = 0;
  std::int64_t ts_delta = 0;
  std::int64_t offset_delta = 0;
  std::int64_t key_len = -1;
  std::string key;
  std::int64_t value_len = -1;
  std::string value;
  std::int64_t header_count = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  Buffer trailing;                           // extra bytes inside the body
  std::optional<std::uint64_t> body_length;  // overrides the true body length
};

RawRecord raw_record(std::int64_t offset_delta, std::int64_t ts_delta, std::string value) {
  RawRecord r;
  r.offset_delta = offset_delta;
  r.ts_delta = ts_delta;
  r.value_len = static_cast<std::int64_t>(value.size());
  r.value = std::move(value);
  return r;
}

Buffer encode_record(const RawRecord& r) {
  Writer body;
  body.out.push_back(static_cast<std::uint8_t>(r.attributes));
  body.sv(r.ts_delta);
  body.sv(r.offset_delta);
  body.sv(r.key_len);
  body.raw(r.key);
  body.sv(r.value_len);
  body.raw(r.value);
  body.sv(r.header_count);
  for (const auto& [name, value] : r.headers) {
    body.sv(static_cast<std::int64_t>(name.size()));
    body.raw(name);
    body.sv(static_cast<std::int64_t>(value.size()));
    body.raw(value);
  }
  body.raw(view(r.trailing));
  Writer rec;
  rec.sv(static_cast<std::int64_t>(r.body_length.value_or(body.out.size())));
  rec.raw(view(body.out));
  return rec.out;
}

struct RawHeader {
  std::uint64_t base_offset = 0;
  std::int64_t base_timestamp = 1000;
  std::int64_t max_timestamp = 1000;
  std::int64_t producer_id = -1;
  std::int32_t base_sequence = -1;
  std::int32_t record_count = 0;
  std::optional<std::int32_t> last_offset_delta = std::nullopt;  // default record_count - 1 (0 for none)
};

// A batch with a correct length and CRC around whatever records are given.
Buffer craft_batch(const RawHeader& h, const std::vector<Buffer>& records) {
  Buffer b(layout::kHeaderSize, 0);
  put_field<std::uint64_t>(b, layout::kBaseOffset, h.base_offset);
  put_field<std::int32_t>(b, layout::kLeaderEpoch, -1);
  b[layout::kMagic] = protocol::kFormatMagic;
  put_field<std::int32_t>(b, layout::kLastOffsetDelta,
                          h.last_offset_delta.value_or(h.record_count > 0 ? h.record_count - 1 : 0));
  put_field<std::int64_t>(b, layout::kBaseTimestamp, h.base_timestamp);
  put_field<std::int64_t>(b, layout::kMaxTimestamp, h.max_timestamp);
  put_field<std::int64_t>(b, layout::kProducerId, h.producer_id);
  put_field<std::int16_t>(b, layout::kProducerEpoch, -1);
  put_field<std::int32_t>(b, layout::kBaseSequence, h.base_sequence);
  put_field<std::int32_t>(b, layout::kRecordCount, h.record_count);
  for (const auto& r : records) b.insert(b.end(), r.begin(), r.end());
  reseal(b);
  return b;
}

}  // namespace

TEST_CASE("hand-crafted batches that the validator accepts") {
  // Sanity check for the crafting helpers used below.
  const Buffer b = craft_batch({.max_timestamp = 1010, .record_count = 2},
                               {encode_record(raw_record(0, 10, "a")), encode_record(raw_record(1, -5, "b"))});
  const BatchHeader h = validated(b);
  const auto recs = read_all(view(b), h);
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].timestamp == 1010);
  CHECK(recs[1].timestamp == 995);
  CHECK(str(*recs[1].value) == "b");
}

TEST_CASE("empty batches: refused from a producer, readable when stored (compaction)") {
  SUBCASE("record_count zero with records present") {
    Buffer b = builder_batch();
    put_field<std::int32_t>(b, layout::kRecordCount, 0);
    fix_checksum(b);
    CHECK(append_rejection(b) == BatchErrc::empty_batch);
    CHECK(rejection(b) == BatchErrc::record_count_mismatch);
  }
  SUBCASE("header only, count zero") {
    const Buffer b = craft_batch({.record_count = 0, .last_offset_delta = 4}, {});
    CHECK(b.size() == layout::kHeaderSize);
    CHECK(append_rejection(b) == BatchErrc::empty_batch);
    const BatchHeader h = validated(b);
    CHECK(h.record_count == 0);
    CHECK(h.next_offset() == 5);
  }
}

TEST_CASE("validate_batch: record_count_mismatch") {
  SUBCASE("header says more records than there are") {
    Buffer b = builder_batch();
    put_field<std::int32_t>(b, layout::kRecordCount, 4);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::record_count_mismatch);
  }
  SUBCASE("header says fewer records than there are") {
    Buffer b = builder_batch();
    put_field<std::int32_t>(b, layout::kRecordCount, 2);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::record_count_mismatch);
  }
  SUBCASE("header says one record, there are none") {
    const Buffer b = craft_batch({.record_count = 1}, {});
    CHECK(rejection(b) == BatchErrc::record_count_mismatch);
  }
  SUBCASE("header says UINT32_MAX records") {
    Buffer b = builder_batch();
    put_field<std::uint32_t>(b, layout::kRecordCount, std::numeric_limits<std::uint32_t>::max());
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::record_count_mismatch);
  }
}

TEST_CASE("validate_batch: malformed_record") {
  const RawHeader one{.max_timestamp = 1000, .record_count = 1};
  const RawHeader two{.max_timestamp = 1000, .record_count = 2};
  std::vector<Buffer> recs;
  RawHeader hdr = one;

  SUBCASE("record body length overruns the batch") {
    RawRecord r = raw_record(0, 0, "abc");
    r.body_length = 100;
    recs = {encode_record(r)};
  }
  SUBCASE("second record body length overruns the batch by one byte") {
    RawRecord r = raw_record(1, 0, "abc");
    const Buffer exact = encode_record(r);
    r.body_length = exact.size();  // true body length is exact.size() - 1
    recs = {encode_record(raw_record(0, 0, "x")), encode_record(r)};
    hdr = two;
  }
  SUBCASE("body length varint cut off at the end of the batch") {
    recs = {encode_record(raw_record(0, 0, "x")), Buffer{0x80}};
    hdr = two;
  }
  SUBCASE("zero body length") {
    recs = {Buffer{0x00}};
  }
  SUBCASE("key length -2") {
    RawRecord r = raw_record(0, 0, "v");
    r.key_len = -2;
    recs = {encode_record(r)};
  }
  SUBCASE("key length INT64_MIN") {
    RawRecord r = raw_record(0, 0, "v");
    r.key_len = std::numeric_limits<std::int64_t>::min();
    recs = {encode_record(r)};
  }
  SUBCASE("value length -7") {
    RawRecord r = raw_record(0, 0, "");
    r.value_len = -7;
    recs = {encode_record(r)};
  }
  SUBCASE("key length past the end of the body") {
    RawRecord r = raw_record(0, 0, "v");
    r.key_len = 50;
    r.key = "short";
    recs = {encode_record(r)};
  }
  SUBCASE("key length INT64_MAX") {
    RawRecord r = raw_record(0, 0, "v");
    r.key_len = std::numeric_limits<std::int64_t>::max();
    recs = {encode_record(r)};
  }
  SUBCASE("value length past the end of the body, bytes present after it in the batch") {
    RawRecord r = raw_record(0, 0, "abc");
    r.value_len = 4;
    recs = {encode_record(r), encode_record(raw_record(1, 0, "next"))};
    hdr = two;
  }
  SUBCASE("trailing bytes inside the record body") {
    RawRecord r = raw_record(0, 0, "v");
    r.trailing = {0x00};
    recs = {encode_record(r)};
  }
  SUBCASE("header count larger than the headers present") {
    RawRecord r = raw_record(0, 0, "v");
    r.header_count = 2;
    r.headers = {{"n", "v"}};
    recs = {encode_record(r)};
  }
  SUBCASE("header count huge") {
    RawRecord r = raw_record(0, 0, "v");
    r.header_count = std::numeric_limits<std::int64_t>::max();
    r.headers = {{"", ""}, {"", ""}};
    recs = {encode_record(r)};
  }
  SUBCASE("header count smaller than the headers present") {
    RawRecord r = raw_record(0, 0, "v");
    r.header_count = 1;
    r.headers = {{"n", "v"}, {"m", "w"}};
    recs = {encode_record(r)};
  }
  SUBCASE("over-long varint in the timestamp delta") {
    const Buffer body = {0x00,                                                             // attributes
                         0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,  // 11-byte ts
                         0x00, 0x01, 0x00, 0x00};
    Writer w;
    w.sv(static_cast<std::int64_t>(body.size()));
    w.raw(view(body));
    recs = {w.out};
  }
  SUBCASE("body length with a tenth byte above 1") {
    recs = {Buffer{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}};
  }
  SUBCASE("body ends in the middle of the fields") {
    RawRecord r = raw_record(0, 0, "value");
    Buffer full = encode_record(r);
    // Keep the body length honest but cut the body short: drop the value and header count.
    Buffer body(full.begin() + 1, full.begin() + 5);  // attributes, ts, offset, key(-1)
    Writer w;
    w.sv(static_cast<std::int64_t>(body.size()));
    w.raw(view(body));
    recs = {w.out};
  }

  const Buffer b = craft_batch(hdr, recs);
  CHECK(rejection(b) == BatchErrc::malformed_record);
}

TEST_CASE("validate_batch: offset_delta_mismatch") {
  std::vector<Buffer> recs;
  std::int32_t count = 0;
  SUBCASE("first record has delta 1") {
    recs = {encode_record(raw_record(1, 0, "a"))};
    count = 1;
  }
  SUBCASE("a gap: 0, 2") {
    recs = {encode_record(raw_record(0, 0, "a")), encode_record(raw_record(2, 0, "b"))};
    count = 2;
  }
  SUBCASE("a repeat: 0, 0") {
    recs = {encode_record(raw_record(0, 0, "a")), encode_record(raw_record(0, 0, "b"))};
    count = 2;
  }
  SUBCASE("reversed: 1, 0") {
    recs = {encode_record(raw_record(1, 0, "a")), encode_record(raw_record(0, 0, "b"))};
    count = 2;
  }
  SUBCASE("huge delta that would wrap with the base offset") {
    recs = {encode_record(raw_record(std::numeric_limits<std::int64_t>::max(), 0, "a"))};
    count = 1;
  }
  SUBCASE("negative delta") {
    recs = {encode_record(raw_record(-1, 0, "a"))};
    count = 1;
  }
  const Buffer b = craft_batch({.base_offset = 10, .max_timestamp = 1000, .record_count = count}, recs);
  CHECK(rejection(b) == BatchErrc::offset_delta_mismatch);
  CHECK(append_rejection(b) == BatchErrc::offset_delta_mismatch);
}

TEST_CASE("a stored batch may have offset gaps within lastOffsetDelta, a produced one may not") {
  const Buffer b = craft_batch({.record_count = 2, .last_offset_delta = 2},
                               {encode_record(raw_record(0, 0, "a")), encode_record(raw_record(2, 0, "b"))});
  const BatchHeader h = validated(b);
  const auto recs = read_all(view(b), h);
  REQUIRE(recs.size() == 2);
  CHECK(recs[1].offset == 2);
  CHECK(append_rejection(b) == BatchErrc::last_offset_delta_mismatch);
}

TEST_CASE("validate_batch: timestamp_mismatch") {
  SUBCASE("max_timestamp higher than every record") {
    Buffer b = builder_batch();
    put_field<std::int64_t>(b, layout::kMaxTimestamp, 1006);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::timestamp_mismatch);
  }
  SUBCASE("max_timestamp equal to the first but not the largest") {
    Buffer b = builder_batch();
    put_field<std::int64_t>(b, layout::kMaxTimestamp, 1000);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::timestamp_mismatch);
  }
  SUBCASE("max_timestamp of the last record instead of the max") {
    Buffer b = builder_batch();
    put_field<std::int64_t>(b, layout::kMaxTimestamp, 1002);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::timestamp_mismatch);
  }
  SUBCASE("hand-crafted deltas") {
    const Buffer b = craft_batch({.base_timestamp = 50, .max_timestamp = 50, .record_count = 2},
                                 {encode_record(raw_record(0, -10, "a")), encode_record(raw_record(1, 1, "b"))});
    CHECK(rejection(b) == BatchErrc::timestamp_mismatch);
  }
}

TEST_CASE("validate_for_append repairs a wrong maxTimestamp (kafkajs) and recomputes the CRC") {
  // kafkajs stamps records that lack a timestamp with Date.now() but takes
  // maxTimestamp only from those the application gave: here 1000 and a
  // later record at 2000.
  Buffer b = craft_batch({.base_timestamp = 1000, .max_timestamp = 1000, .record_count = 2},
                         {encode_record(raw_record(0, 0, "a")), encode_record(raw_record(1, 1000, "b"))});
  CHECK(rejection(b) == BatchErrc::timestamp_mismatch);  // a reader still refuses it
  auto valid = protocol::validate_for_append(protocol::MutableBytes{b.data(), b.size()}, kLimit);
  REQUIRE(valid.has_value());
  CHECK(valid.value().header().max_timestamp == 2000);
  const BatchHeader h = validated(b);  // repaired in place: now a valid stored batch
  CHECK(h.max_timestamp == 2000);
  CHECK(h.crc == protocol::compute_crc(view(b)));
}

}  // namespace strata::test::batch
