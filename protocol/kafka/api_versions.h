// ApiVersions (key 18), versions 0-3; v3 is flexible. The first request
// every Kafka client sends. Per KIP-511 the response header is always v0,
// and a request of a version strata does not serve is answered in the v0
// body format with UNSUPPORTED_VERSION and the supported ranges (including
// ApiVersions' own), never by closing the connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/kafka/api_table.h"
#include "protocol/kafka/error_code.h"
#include "protocol/kafka/reader.h"
#include "protocol/kafka/writer.h"
#include "protocol/base/result.h"

namespace strata::kafka {

struct ApiVersionsRequest {
  static constexpr ApiKey kKey = ApiKey::api_versions;
  static constexpr std::int16_t kMinVersion = 0;
  static constexpr std::int16_t kMaxVersion = 3;

  std::string client_software_name;     // v3+
  std::string client_software_version;  // v3+
  bool operator==(const ApiVersionsRequest&) const = default;

  [[nodiscard]] static Result<ApiVersionsRequest> decode(Bytes body, std::int16_t version);
};

struct ApiVersionEntry {
  std::int16_t api_key = 0;
  std::int16_t min_version = 0;
  std::int16_t max_version = 0;
  bool operator==(const ApiVersionEntry&) const = default;
};

struct ApiVersionsResponse {
  KafkaError error = KafkaError::none;
  std::vector<ApiVersionEntry> apis;
  std::int32_t throttle_time_ms = 0;  // v1+
  bool operator==(const ApiVersionsResponse&) const = default;

  // REQUIRES: w is in version's form (begin_response does this).
  void encode(Writer& w, std::int16_t version) const;
};

// The response listing every row of supported_apis(), with `error`.
[[nodiscard]] ApiVersionsResponse supported_versions_response(KafkaError error = KafkaError::none);

// The whole response frame (header v0) for an ApiVersions request of any
// version: in that version's format when it is served, else in v0 format
// with UNSUPPORTED_VERSION (KIP-511).
[[nodiscard]] std::vector<std::uint8_t> encode_api_versions_frame(std::int32_t correlation_id, std::int16_t version);

}  // namespace strata::kafka
