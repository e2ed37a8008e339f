// Kafka's framing and headers: every request and response is an int32
// big-endian size, then that many bytes. A request starts with header v1
// (api key, api version, correlation id, nullable int16 client id) or, for
// flexible versions, v2 (the same, then tagged fields; the client id stays
// classic). A response starts with header v0 (correlation id) or v1 (then
// tagged fields); ApiVersions always uses v0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/byte_io.h"
#include "protocol/kafka/api_table.h"
#include "protocol/kafka/writer.h"
#include "protocol/base/result.h"

namespace strata::kafka {

inline constexpr std::size_t kFrameSizeBytes = 4;
// The smallest request: api key, version, correlation id, client id length.
inline constexpr std::size_t kMinRequestBytes = 10;

// The size prefix of a frame. Fails with negative_frame_size below
// kMinRequestBytes (also for negative values) and frame_too_large above
// max_bytes. REQUIRES: p points at kFrameSizeBytes readable bytes.
[[nodiscard]] Result<std::uint32_t> decode_frame_size(const std::uint8_t* p, std::uint32_t max_bytes) noexcept;

struct RequestHeader {
  std::int16_t api_key = 0;
  std::int16_t api_version = 0;
  std::int32_t correlation_id = 0;
  std::optional<std::string> client_id;
  bool operator==(const RequestHeader&) const = default;
};

struct DecodedHeader {
  RequestHeader header;
  // The API's row, or null for a key strata does not serve (the body is then not decodable).
  const ApiVersionRange* api = nullptr;
  // Where the body starts in the request (after the header's tagged fields
  // when the API and version are flexible).
  std::size_t body_offset = 0;
};

// Decodes the header of one request (the frame without its size prefix).
// An unknown API or unsupported version is not an error here: the caller
// answers it (ApiVersions, KIP-511) or closes the connection. ApiVersions
// requests of any version >= 3 are read with header v2, as clients send them.
[[nodiscard]] Result<DecodedHeader> decode_request_header(protocol::Bytes request);

// Starts a response frame: a size placeholder and the response header for
// (api, version); the returned writer is in the body's form (classic or
// flexible). Finish it with finish_response.
[[nodiscard]] Writer begin_response(std::int32_t correlation_id, const ApiVersionRange& api, std::int16_t version);
// Patches the size prefix: the bytes written after it plus extra_bytes
// (records the caller sends after these bytes, e.g. with sendfile).
[[nodiscard]] std::vector<std::uint8_t> finish_response(Writer&& w, std::size_t extra_bytes = 0);

// A whole response frame for a response struct with encode(Writer&, version).
template <typename Response>
[[nodiscard]] std::vector<std::uint8_t> encode_response(std::int32_t correlation_id, const ApiVersionRange& api,
                                                        std::int16_t version, const Response& response) {
  Writer w = begin_response(correlation_id, api, version);
  response.encode(w, version);
  return finish_response(std::move(w));
}

}  // namespace strata::kafka
