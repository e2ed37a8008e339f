// Hostile input to every Kafka request decoder: each (API, version) sample
// cut at every length, extended by a byte, and randomly corrupted, plus
// lengths and counts that lie. Every decode fails with a named DecodeErrc
// (or succeeds), never crashes, and never allocates for a lying count.
#include <doctest/doctest.h>

#include <random>

#include "protocol/kafka/request.h"
#include "tests/kafka/kafka_samples.h"

namespace strata::kafka::test {
namespace {

Result<KafkaRequest> decode(const Sample& s, Bytes body) {
  return decode_request(RequestHeader{s.api_key, s.version, 0, std::nullopt}, body);
}

TEST_CASE("kafka decoders: every truncation of every (API, version) sample is a named error") {
  for (const Sample& s : all_request_samples()) {
    CAPTURE(s.name());
    const Bytes full = s.body.view();
    REQUIRE(decode(s, full));
    for (std::size_t n = 0; n < full.size(); ++n) {
      // ApiVersions v0-2 has an empty body: no prefix to cut.
      auto r = decode(s, full.first(n));
      CAPTURE(n);
      REQUIRE_FALSE(r);
      CHECK(r.error().category() == decode_category());
      const auto e = static_cast<DecodeErrc>(r.error().value());
      CHECK((e == DecodeErrc::truncated || e == DecodeErrc::count_too_large));
    }
  }
}

TEST_CASE("kafka decoders: a byte after the last field is trailing_bytes") {
  for (const Sample& s : all_request_samples()) {
    CAPTURE(s.name());
    Be longer = s.body;
    longer.raw({0});
    CHECK(decode(s, longer.view()).error() == DecodeErrc::trailing_bytes);
  }
}

TEST_CASE("kafka decoders: lying lengths and counts") {
  Be neg_string;  // DeleteTopics v0 with a topic name of length -2
  neg_string.i32(1).i16(-2).i32(0);
  CHECK(DeleteTopicsRequest::decode(neg_string.view(), 0).error() == DecodeErrc::negative_length);

  Be null_name;  // a null where the name is not nullable
  null_name.i32(1).i16(-1).i32(0);
  CHECK(DeleteTopicsRequest::decode(null_name.view(), 0).error() == DecodeErrc::negative_length);

  Be huge_count;  // 2^31-1 topics in 8 bytes: refused before any element is read or reserved
  huge_count.i32(0x7fffffff).i32(0);
  CHECK(DeleteTopicsRequest::decode(huge_count.view(), 0).error() == DecodeErrc::count_too_large);

  Be null_array;  // -1 topics where the array is not nullable
  null_array.i32(-1).i32(0);
  CHECK(DeleteTopicsRequest::decode(null_array.view(), 0).error() == DecodeErrc::negative_length);

  Be neg_records;  // Produce records of length -5
  neg_records.null_str().i16(1).i32(0).i32(1).str("t").i32(1).i32(0).i32(-5);
  CHECK(ProduceRequest::decode(neg_records.view(), 3).error() == DecodeErrc::negative_length);

  Be long_records;  // records claiming 1 MiB in a 3-byte remainder
  long_records.null_str().i16(1).i32(0).i32(1).str("t").i32(1).i32(0).i32(1 << 20).text("abc");
  CHECK(ProduceRequest::decode(long_records.view(), 3).error() == DecodeErrc::truncated);

  Be long_varint;  // a compact string length of six varint bytes
  long_varint.raw({0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
  CHECK(ApiVersionsRequest::decode(long_varint.view(), 3).error() == DecodeErrc::bad_varint);

  Be over_32_bits;  // five varint bytes holding more than 32 bits
  over_32_bits.raw({0xff, 0xff, 0xff, 0xff, 0x7f});
  CHECK(ApiVersionsRequest::decode(over_32_bits.view(), 3).error() == DecodeErrc::bad_varint);

  Be many_tags;  // 1000 tagged fields announced in 2 bytes
  many_tags.cstr("a").cstr("b").uv(1000);
  CHECK(ApiVersionsRequest::decode(many_tags.view(), 3).error() == DecodeErrc::count_too_large);

  Be tag_too_long;  // a tagged field claiming 100 bytes
  tag_too_long.cstr("a").cstr("b").uv(1).uv(0).uv(100).raw({1, 2});
  CHECK(ApiVersionsRequest::decode(tag_too_long.view(), 3).error() == DecodeErrc::truncated);

  CHECK(ProduceRequest::decode({}, 8).error() == DecodeErrc::unsupported_version);
  CHECK(FetchRequest::decode({}, 3).error() == DecodeErrc::unsupported_version);
}

TEST_CASE("kafka decoders: random corruption of every sample never crashes") {
  std::mt19937 rng(19);
  std::size_t decoded = 0;
  std::size_t refused = 0;
  for (const Sample& s : all_request_samples()) {
    if (s.body.bytes().empty()) continue;
    for (int round = 0; round < 300; ++round) {
      std::vector<std::uint8_t> bytes = s.body.bytes();
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) {
        bytes[rng() % bytes.size()] = static_cast<std::uint8_t>(rng());
      }
      auto r = decode(s, {bytes.data(), bytes.size()});
      if (r) {
        ++decoded;
      } else {
        ++refused;
        CHECK(r.error().category() == decode_category());
      }
    }
  }
  CHECK(refused > 0);
  CHECK(decoded > 0);
}

}  // namespace
}  // namespace strata::kafka::test
