// Wire frames: every message body in a request or response frame, the size
// prefix and headers byte by byte, error response frames, several frames in
// one buffer, truncated headers, and the frame size bounds.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wire_test_util.h"

namespace strata::test::wire {

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

}  // namespace strata::test::wire
