// Record-batch round trips: BatchBuilder -> validate_batch -> RecordReader
// gives back every key, value, header, timestamp and producer field;
// stamp_base_offset renumbers a batch without touching its checksum; the
// builder is reusable.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>  // doctest prints std::error_code through operator<<
#include <span>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "record_batch_test_util.h"

namespace strata::test::batch {
namespace {

template <typename T>
T get_field(const Buffer& b, std::size_t at) {
  REQUIRE(b.size() >= at + sizeof(T));
  return protocol::load_be<T>(b.data() + at);
}

}  // namespace

TEST_CASE("round trip: null, empty and non-empty keys and values stay distinct") {
  protocol::BatchBuilder builder;
  builder.add(10, std::nullopt, std::nullopt);
  builder.add(11, bytes_of(""), bytes_of(""));
  builder.add(12, Bytes{}, Bytes{});  // empty span with a null data pointer
  builder.add(13, bytes_of("key"), bytes_of("value"));
  builder.add(14, bytes_of("k"), std::nullopt);
  builder.add(15, std::nullopt, bytes_of("v"));
  CHECK(builder.record_count() == 6);
  const std::size_t expected_size = builder.size_bytes();
  const Buffer b = builder.finish();
  CHECK(b.size() == expected_size);
  CHECK(builder.empty());

  const BatchHeader h = validated(b);
  CHECK(h.record_count == 6);
  CHECK(h.total_size() == b.size());
  const auto recs = read_all(view(b), h);
  REQUIRE(recs.size() == 6);

  CHECK_FALSE(recs[0].key.has_value());
  CHECK_FALSE(recs[0].value.has_value());

  REQUIRE(recs[1].key.has_value());
  CHECK(recs[1].key->empty());
  REQUIRE(recs[1].value.has_value());
  CHECK(recs[1].value->empty());

  REQUIRE(recs[2].key.has_value());
  CHECK(recs[2].key->empty());
  REQUIRE(recs[2].value.has_value());
  CHECK(recs[2].value->empty());

  REQUIRE(recs[3].key.has_value());
  CHECK(str(*recs[3].key) == "key");
  REQUIRE(recs[3].value.has_value());
  CHECK(str(*recs[3].value) == "value");

  REQUIRE(recs[4].key.has_value());
  CHECK(str(*recs[4].key) == "k");
  CHECK_FALSE(recs[4].value.has_value());

  CHECK_FALSE(recs[5].key.has_value());
  REQUIRE(recs[5].value.has_value());
  CHECK(str(*recs[5].value) == "v");

  for (std::size_t i = 0; i < recs.size(); ++i) {
    CHECK(recs[i].offset == i);
    CHECK(recs[i].timestamp == static_cast<std::int64_t>(10 + i));
    CHECK(recs[i].header_count == 0);
  }
}

TEST_CASE("round trip: records with 0, 1 and several headers") {
  const std::array<RecordHeader, 1> one{RecordHeader{bytes_of("content-type"), bytes_of("json")}};
  const std::array<RecordHeader, 4> several{
      RecordHeader{bytes_of("a"), bytes_of("1")},
      RecordHeader{bytes_of(""), bytes_of("empty-name")},
      RecordHeader{bytes_of("empty-value"), bytes_of("")},
      RecordHeader{bytes_of("a"), bytes_of("duplicate name kept")},
  };
  protocol::BatchBuilder builder;
  builder.add(1, bytes_of("k"), bytes_of("v"));
  builder.add(2, bytes_of("k"), bytes_of("v"), one);
  builder.add(3, std::nullopt, std::nullopt, several);
  builder.add(4, bytes_of("k"), bytes_of("v"), std::span<const RecordHeader>{});
  const Buffer b = builder.finish();
  const auto recs = read_all(view(b), validated(b));
  REQUIRE(recs.size() == 4);

  CHECK(recs[0].header_count == 0);
  CHECK(recs[0].header_data.empty());
  CHECK(protocol::decode_headers(recs[0]).empty());

  CHECK(recs[1].header_count == 1);
  const auto h1 = protocol::decode_headers(recs[1]);
  REQUIRE(h1.size() == 1);
  CHECK(str(h1[0].name) == "content-type");
  CHECK(str(*h1[0].value) == "json");

  CHECK(recs[2].header_count == 4);
  const auto h3 = protocol::decode_headers(recs[2]);
  REQUIRE(h3.size() == 4);
  for (std::size_t i = 0; i < several.size(); ++i) {
    CAPTURE(i);
    CHECK(str(h3[i].name) == str(several[i].name));
    CHECK(str(*h3[i].value) == str(*several[i].value));
  }

  CHECK(recs[3].header_count == 0);
  CHECK(protocol::decode_headers(recs[3]).empty());
}

TEST_CASE("round trip: binary bytes including 0x00 and 0xff") {
  Buffer all(256);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
  const Buffer zeros(300, 0x00);
  const Buffer ones(200, 0xff);
  const std::array<RecordHeader, 1> hs{RecordHeader{Bytes{ones.data(), 3}, Bytes{zeros.data(), 5}}};

  protocol::BatchBuilder builder;
  builder.add(0, view(all), view(zeros), hs);
  builder.add(0, view(zeros), view(ones));
  builder.add(0, view(ones), view(all));
  const Buffer b = builder.finish();
  const auto recs = read_all(view(b), validated(b));
  REQUIRE(recs.size() == 3);

  const auto same = [](std::optional<Bytes> got, const Buffer& want) {
    return got.has_value() && std::equal(got->begin(), got->end(), want.begin(), want.end());
  };
  CHECK(same(recs[0].key, all));
  CHECK(same(recs[0].value, zeros));
  CHECK(same(recs[1].key, zeros));
  CHECK(same(recs[1].value, ones));
  CHECK(same(recs[2].key, ones));
  CHECK(same(recs[2].value, all));

  const auto h = protocol::decode_headers(recs[0]);
  REQUIRE(h.size() == 1);
  CHECK(h[0].name.size() == 3);
  CHECK(std::all_of(h[0].name.begin(), h[0].name.end(), [](std::uint8_t c) { return c == 0xff; }));
  REQUIRE(h[0].value.has_value());
  CHECK(h[0].value->size() == 5);
  CHECK(std::all_of(h[0].value->begin(), h[0].value->end(), [](std::uint8_t c) { return c == 0x00; }));
}

TEST_CASE("round trip: timestamps going backwards, max_timestamp is the max") {
  const std::vector<std::int64_t> ts = {1'700'000'000'000, 1'699'999'999'000, 1'700'000'005'000,
                                        1'600'000'000'000, 1'700'000'004'999};
  protocol::BatchBuilder builder;
  for (const auto t : ts) builder.add(t, std::nullopt, bytes_of("x"));
  const Buffer b = builder.finish();
  const BatchHeader h = validated(b);
  CHECK(h.base_timestamp == ts[0]);
  CHECK(h.max_timestamp == 1'700'000'005'000);
  const auto recs = read_all(view(b), h);
  REQUIRE(recs.size() == ts.size());
  for (std::size_t i = 0; i < ts.size(); ++i) CHECK(recs[i].timestamp == ts[i]);

  SUBCASE("first record holds the max, all later go backwards") {
    protocol::BatchBuilder bb;
    bb.add(500, std::nullopt, std::nullopt);
    bb.add(400, std::nullopt, std::nullopt);
    bb.add(-3, std::nullopt, std::nullopt);
    const Buffer b2 = bb.finish();
    const BatchHeader h2 = validated(b2);
    CHECK(h2.max_timestamp == 500);
    const auto r2 = read_all(view(b2), h2);
    REQUIRE(r2.size() == 3);
    CHECK(r2[2].timestamp == -3);
  }
}

TEST_CASE("round trip: producer id and base sequence") {
  SUBCASE("defaults are -1") {
    protocol::BatchBuilder builder;
    builder.add(1, std::nullopt, bytes_of("v"));
    const Buffer b = builder.finish();
    const BatchHeader h = validated(b);
    CHECK(h.producer_id == -1);
    CHECK(h.base_sequence == -1);
  }
  SUBCASE("set values round trip") {
    protocol::BatchBuilder builder;
    builder.set_producer(0x0123456789abcdefLL, 0x1234, 0x7ffffff0);
    builder.add(1, std::nullopt, bytes_of("v"));
    builder.add(2, std::nullopt, bytes_of("w"));
    const Buffer b = builder.finish();
    const BatchHeader h = validated(b);
    CHECK(h.producer_id == 0x0123456789abcdefLL);
    CHECK(h.base_sequence == 0x7ffffff0);
    CHECK(h.producer_epoch == 0x1234);
    CHECK(get_field<std::int16_t>(b, layout::kProducerEpoch) == 0x1234);
    CHECK(get_field<std::int64_t>(b, layout::kProducerId) == 0x0123456789abcdefLL);
    CHECK(get_field<std::int32_t>(b, layout::kBaseSequence) == 0x7ffffff0);
  }
  SUBCASE("producer settings survive finish() for the next batch") {
    protocol::BatchBuilder builder;
    builder.set_producer(42, 3, 100);
    builder.add(1, std::nullopt, bytes_of("v"));
    const Buffer b1 = builder.finish();
    builder.add(2, std::nullopt, bytes_of("w"));
    const Buffer b2 = builder.finish();
    CHECK(validated(b1).producer_id == 42);
    CHECK(validated(b2).producer_id == 42);
    CHECK(validated(b2).base_sequence == 100);
  }
}

TEST_CASE("stamp_base_offset: records get base+i and the checksum still holds") {
  Buffer b = builder_batch();
  const std::uint32_t checksum_before = get_field<std::uint32_t>(b, layout::kCrc);
  CHECK(validated(b).base_offset == 0);

  for (const std::uint64_t base : {std::uint64_t{1}, std::uint64_t{1'000'000'007}, std::uint64_t{1} << 62,
                                   std::numeric_limits<std::uint64_t>::max() - 2}) {
    CAPTURE(base);
    protocol::stamp_base_offset(protocol::MutableBytes{b.data(), b.size()}, base);
    protocol::stamp_leader_epoch(protocol::MutableBytes{b.data(), b.size()}, 77);
    CHECK(get_field<std::uint32_t>(b, layout::kCrc) == checksum_before);
    CHECK(protocol::compute_crc(view(b)) == checksum_before);
    const BatchHeader h = validated(b);
    CHECK(h.base_offset == base);
    CHECK(h.leader_epoch == 77);
    CHECK(h.last_offset() == base + 2);
    CHECK(h.next_offset() == base + 3);
    const auto recs = read_all(view(b), h);
    REQUIRE(recs.size() == 3);
    for (std::size_t i = 0; i < recs.size(); ++i) CHECK(recs[i].offset == base + i);
  }
}

TEST_CASE("validate_for_append returns a mutable view of the same bytes") {
  Buffer b = builder_batch();
  auto r = protocol::validate_for_append(protocol::MutableBytes{b.data(), b.size()}, kLimit);
  REQUIRE(r.has_value());
  CHECK(r.value().bytes().data() == b.data());
  CHECK(r.value().bytes().size() == b.size());
  CHECK(r.value().header().record_count == 3);
  protocol::stamp_base_offset(r.value().bytes(), 500);
  CHECK(validated(b).base_offset == 500);

  b[b.size() - 1] ^= 0x01;
  auto bad = protocol::validate_for_append(protocol::MutableBytes{b.data(), b.size()}, kLimit);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error() == BatchErrc::checksum_mismatch);
}

TEST_CASE("builder is reusable after finish and size_bytes predicts the size") {
  protocol::BatchBuilder builder;
  CHECK(builder.empty());
  CHECK(builder.size_bytes() == layout::kHeaderSize);
  builder.add(5, bytes_of("a"), bytes_of("b"));
  const std::size_t s1 = builder.size_bytes();
  const Buffer b1 = builder.finish();
  CHECK(b1.size() == s1);
  CHECK(builder.empty());
  CHECK(builder.size_bytes() == layout::kHeaderSize);
  builder.add(7, bytes_of("c"), bytes_of("d"));
  builder.add(6, bytes_of("e"), bytes_of("f"));
  const Buffer b2 = builder.finish();
  const BatchHeader h2 = validated(b2);
  CHECK(h2.record_count == 2);
  CHECK(h2.base_timestamp == 7);
  CHECK(h2.max_timestamp == 7);
  const auto recs = read_all(view(b2), h2);
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].offset == 0);
  CHECK(recs[1].offset == 1);
  CHECK(recs[1].timestamp == 6);
}

TEST_CASE("try_add refuses a record that would take the batch past the limit, and changes nothing then") {
  protocol::BatchBuilder builder;
  CHECK(builder.try_add(0, 5, bytes_of("first"), bytes_of("goes in whatever the limit")));
  const std::size_t one = builder.size_bytes();
  CHECK_FALSE(builder.try_add(one, 9, bytes_of("k"), bytes_of("v")));
  CHECK(builder.record_count() == 1);
  CHECK(builder.size_bytes() == one);
  // Exactly as large as the limit is within it.
  protocol::BatchBuilder probe;
  probe.add(5, bytes_of("first"), bytes_of("goes in whatever the limit"));
  probe.add(6, bytes_of("k"), bytes_of("v"));
  const std::size_t two = probe.size_bytes();
  CHECK_FALSE(builder.try_add(two - 1, 6, bytes_of("k"), bytes_of("v")));
  CHECK(builder.try_add(two, 6, bytes_of("k"), bytes_of("v")));
  CHECK(builder.size_bytes() == two);
  const Buffer b = builder.finish();
  const BatchHeader h = validated(b);
  CHECK(h.record_count == 2);
  CHECK(h.max_timestamp == 6);  // the refused record's timestamp 9 left no trace
  CHECK(b == probe.finish());
}

}  // namespace strata::test::batch
