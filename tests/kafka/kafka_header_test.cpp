// Framing, request/response headers, the version table and ApiVersions
// (KIP-511), against bytes spelled out from Kafka's protocol guide.
#include <doctest/doctest.h>

#include <array>

#include "protocol/kafka/api_versions.h"
#include "protocol/kafka/decode_errc.h"
#include "protocol/kafka/frame.h"
#include "protocol/kafka/request.h"
#include "tests/kafka/kafka_samples.h"
#include "tests/kafka/kafka_test_util.h"

namespace strata::kafka::test {
namespace {

// The frame librdkafka 2.0.2 opens every connection with (after the size):
// ApiVersions v3, header v2, client id "rdkafka", software name and version.
Be librdkafka_api_versions_v3() {
  Be b;
  b.i16(18).i16(3).i32(1).str("rdkafka").uv(0);
  b.cstr("librdkafka").cstr("2.0.2").uv(0);
  return b;
}

TEST_CASE("kafka frame size: in range, below a header, negative and above the limit") {
  const std::array<std::uint8_t, 4> ok{0, 0, 1, 0};
  CHECK(decode_frame_size(ok.data(), 1024).value() == 256u);
  const std::array<std::uint8_t, 4> small{0, 0, 0, 9};
  CHECK(decode_frame_size(small.data(), 1024).error() == DecodeErrc::negative_frame_size);
  const std::array<std::uint8_t, 4> negative{0xff, 0xff, 0xff, 0xfe};
  CHECK(decode_frame_size(negative.data(), 1024).error() == DecodeErrc::negative_frame_size);
  const std::array<std::uint8_t, 4> big{0, 0, 4, 1};
  CHECK(decode_frame_size(big.data(), 1024).error() == DecodeErrc::frame_too_large);
}

TEST_CASE("kafka request header v1: Metadata v6 with a client id, and a null client id") {
  Be b;
  b.i16(3).i16(6).i32(0x01020304).str("kcat").i32(-1).boolean(true);
  auto h = decode_request_header(b.view());
  REQUIRE(h);
  CHECK(h.value().header == RequestHeader{3, 6, 0x01020304, "kcat"});
  CHECK(h.value().api->key == ApiKey::metadata);
  CHECK(h.value().body_offset == 14u);

  Be null_id;
  null_id.i16(0).i16(7).i32(9).null_str();
  auto n = decode_request_header(null_id.view());
  REQUIRE(n);
  CHECK_FALSE(n.value().header.client_id.has_value());
  CHECK(n.value().body_offset == 10u);
}

TEST_CASE("kafka request header v2: librdkafka's ApiVersions v3 opening, tagged fields skipped") {
  const Be b = librdkafka_api_versions_v3();
  auto h = decode_request_header(b.view());
  REQUIRE(h);
  CHECK(h.value().header == RequestHeader{18, 3, 1, "rdkafka"});
  CHECK(h.value().body_offset == 18u);
  auto body = decode_request(h.value().header, b.view().subspan(h.value().body_offset));
  REQUIRE(body);
  CHECK(std::get<ApiVersionsRequest>(body.value()) == ApiVersionsRequest{"librdkafka", "2.0.2"});

  // A header tag (tag 0, 2 bytes) is skipped too.
  Be tagged;
  tagged.i16(18).i16(3).i32(1).str("x").uv(1).uv(0).uv(2).raw({0xaa, 0xbb});
  auto t = decode_request_header(tagged.view());
  REQUIRE(t);
  CHECK(t.value().body_offset == tagged.bytes().size());
}

TEST_CASE("kafka request header: unknown API and unsupported versions decode, for the caller to answer") {
  Be unknown;
  unknown.i16(11).i16(5).i32(2).str("c");  // JoinGroup: not served yet
  auto u = decode_request_header(unknown.view());
  REQUIRE(u);
  CHECK(u.value().api == nullptr);
  CHECK(decode_request(u.value().header, {}).error() == DecodeErrc::unknown_api);

  Be future;  // ApiVersions v9 from a newer client: header v2, body not read
  future.i16(18).i16(9).i32(3).str("c").uv(0).raw({1, 2, 3});
  auto f = decode_request_header(future.view());
  REQUIRE(f);
  CHECK(f.value().body_offset == 12u);
  CHECK(decode_request(f.value().header, {}).error() == DecodeErrc::unsupported_version);

  Be old_produce;
  old_produce.i16(0).i16(2).i32(4).str("c");
  auto p = decode_request_header(old_produce.view());
  REQUIRE(p);
  CHECK(decode_request(p.value().header, produce_request(2).view()).error() == DecodeErrc::unsupported_version);
}

TEST_CASE("kafka request header: truncations are named errors") {
  const Be b = librdkafka_api_versions_v3();
  for (std::size_t n = 0; n < 18; ++n) {
    auto h = decode_request_header(b.view().first(n));
    CAPTURE(n);
    REQUIRE_FALSE(h);
    CHECK(h.error() == DecodeErrc::truncated);
  }
  Be bad_len;
  bad_len.i16(3).i16(1).i32(1).i16(-2);
  CHECK(decode_request_header(bad_len.view()).error() == DecodeErrc::negative_length);
}

TEST_CASE("kafka version table: every request type's range is the table's") {
  CHECK(find_api(0)->max_version == ProduceRequest::kMaxVersion);
  const auto check = [](auto request) {
    using R = decltype(request);
    const ApiVersionRange* api = find_api(static_cast<std::int16_t>(R::kKey));
    REQUIRE(api != nullptr);
    CHECK(api->min_version == R::kMinVersion);
    CHECK(api->max_version == R::kMaxVersion);
  };
  std::visit(check, KafkaRequest{ProduceRequest{}});
  for (const Sample& s : all_request_samples()) {
    RequestHeader h{s.api_key, s.version, 0, std::nullopt};
    auto decoded = decode_request(h, s.body.view());
    CAPTURE(s.name());
    REQUIRE(decoded);
    std::visit(check, decoded.value());
  }
  CHECK(all_request_samples().size() == 4u + 5u + 8u + 3u + 6u + 3u + 5u + 2u + 3u + 2u + 2u + 2u);
}

TEST_CASE("kafka response headers: v0 for classic versions and always for ApiVersions, v1 for flexible") {
  const ApiVersionRange& metadata = *find_api(3);
  auto classic = finish_response(begin_response(7, metadata, 6));
  CHECK(classic == Be().i32(4).i32(7).bytes());
  const ApiVersionRange& incremental = *find_api(44);
  auto flexible = finish_response(begin_response(7, incremental, 1));
  CHECK(flexible == Be().i32(5).i32(7).uv(0).bytes());
  const ApiVersionRange& api_versions = *find_api(18);
  auto v3 = finish_response(begin_response(7, api_versions, 3));
  CHECK(v3 == Be().i32(4).i32(7).bytes());
  auto with_records = finish_response(begin_response(7, metadata, 6), 100);
  CHECK(with_records == Be().i32(104).i32(7).bytes());
}

Be api_versions_entries(bool compact) {
  Be b;
  if (compact) {
    b.uv(13);
  } else {
    b.i32(12);
  }
  const std::array<std::array<std::int16_t, 3>, 12> rows{{{0, 3, 7}, {1, 4, 11}, {2, 1, 3}, {3, 1, 6},
                                                          {10, 0, 2}, {18, 0, 3}, {19, 0, 4}, {20, 0, 1},
                                                          {22, 0, 1}, {32, 0, 2}, {33, 0, 1}, {44, 0, 1}}};
  for (const auto& r : rows) {
    b.i16(r[0]).i16(r[1]).i16(r[2]);
    if (compact) b.uv(0);
  }
  return b;
}

TEST_CASE("kafka ApiVersions response v0-v3 lists exactly the table") {
  for (std::int16_t v = 0; v <= 3; ++v) {
    CAPTURE(v);
    Be expected;
    expected.i16(0).raw(api_versions_entries(v >= 3).bytes());
    if (v >= 1) expected.i32(0);
    if (v >= 3) expected.uv(0);
    CHECK(encode_body(supported_versions_response(), ApiKey::api_versions, v) == expected.bytes());
  }
}

TEST_CASE("kafka ApiVersions of an unsupported version: v0 body, UNSUPPORTED_VERSION, header v0 (KIP-511)") {
  Be expected;
  expected.i32(0).i32(42).i16(35).raw(api_versions_entries(false).bytes());
  auto frame = encode_api_versions_frame(42, 4);
  expected.patch_frame_size();
  CHECK(frame == expected.bytes());

  Be v3;
  v3.i32(0).i32(1).i16(0).raw(api_versions_entries(true).bytes()).i32(0).uv(0);
  v3.patch_frame_size();
  CHECK(encode_api_versions_frame(1, 3) == v3.bytes());
}

}  // namespace
}  // namespace strata::kafka::test
