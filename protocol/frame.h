// Framing of the wire protocol. Every message on a connection is
//
//   u32 size            bytes that follow (little-endian)
//   header              request: u16 api_key, u16 api_version,
//                                u32 correlation_id, string client_id
//                       response: u32 correlation_id, u16 error
//                                 (error != 0: the request failed as a
//                                 whole and the body is one string, why)
//   body                per API (see messages.h and PROTOCOL.md)
//
// The size is checked against the receiver's limit before anything is
// allocated for the frame.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/byte_writer.h"
#include "protocol/error_code.h"
#include "protocol/base/result.h"

namespace strata::protocol {

inline constexpr std::size_t kFrameSizeBytes = 4;
inline constexpr std::uint32_t kDefaultMaxFrameBytes = 64u << 20;
// Smallest request: api_key + api_version + correlation_id + empty client_id.
inline constexpr std::uint32_t kMinRequestFrame = 2 + 2 + 4 + 2;
inline constexpr std::uint32_t kMinResponseFrame = 4 + 2;

enum class ApiKey : std::uint16_t {
  api_versions = 0,
  metadata = 1,
  create_topic = 2,
  delete_topic = 3,
  describe_configs = 4,
  alter_configs = 5,
  produce = 6,
  fetch = 7,
  list_offsets = 8,
  init_producer_id = 9,
  describe_retention = 10,
};
inline constexpr std::uint16_t kApiKeyCount = 11;

[[nodiscard]] std::string_view api_name(ApiKey key) noexcept;

struct RequestHeader {
  ApiKey api_key = ApiKey::api_versions;
  std::uint16_t api_version = 0;
  std::uint32_t correlation_id = 0;
  std::string client_id;
};

// The frame size from its 4-byte prefix, then its check:
// ErrorCode::frame_too_large above max_frame, invalid_request below min_frame.
[[nodiscard]] std::uint32_t read_frame_size(const std::uint8_t* prefix) noexcept;
[[nodiscard]] ErrorCode check_frame_size(std::uint32_t size, std::uint32_t min_frame,
                                         std::uint32_t max_frame) noexcept;

// Decodes a request header from the start of a frame body (after the size);
// the reader is left at the request body. On truncation r.ok() is false.
[[nodiscard]] RequestHeader read_request_header(ByteReader& r);

// Starts a frame: a size placeholder and the header. finish_frame fills in
// the size once the body is written.
void begin_request(ByteWriter& w, const RequestHeader& h);
void begin_response(ByteWriter& w, std::uint32_t correlation_id, ErrorCode error = ErrorCode::none);

struct ResponseHeader {
  std::uint32_t correlation_id = 0;
  ErrorCode error = ErrorCode::none;
};
[[nodiscard]] ResponseHeader read_response_header(ByteReader& r);

// A whole frame that fails a request outright: header with `error`, body
// one string saying why.
[[nodiscard]] std::vector<std::uint8_t> error_response_frame(std::uint32_t correlation_id, ErrorCode error,
                                                             std::string_view message);
void finish_frame(ByteWriter& w, std::size_t frame_start = 0) noexcept;

}  // namespace strata::protocol
