#include "protocol/kafka/api_versions.h"

#include "protocol/kafka/body_codec.h"
#include "protocol/kafka/frame.h"

namespace strata::kafka {

Result<ApiVersionsRequest> ApiVersionsRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<ApiVersionsRequest>(body, version, [version](Reader& r, ApiVersionsRequest& m) {
    if (version >= 3) {
      m.client_software_name = r.string();
      m.client_software_version = r.string();
    }
  });
}

void ApiVersionsResponse::encode(Writer& w, std::int16_t version) const {
  w.i16(static_cast<std::int16_t>(error));
  w.array(apis, [](Writer& out, const ApiVersionEntry& e) {
    out.i16(e.api_key);
    out.i16(e.min_version);
    out.i16(e.max_version);
    out.end_struct();
  });
  if (version >= 1) w.i32(throttle_time_ms);
  w.end_struct();
}

ApiVersionsResponse supported_versions_response(KafkaError error) {
  ApiVersionsResponse out;
  out.error = error;
  for (const auto& api : supported_apis()) {
    out.apis.push_back({static_cast<std::int16_t>(api.key), api.min_version, api.max_version});
  }
  return out;
}

std::vector<std::uint8_t> encode_api_versions_frame(std::int32_t correlation_id, std::int16_t version) {
  const ApiVersionRange& api = *find_api(static_cast<std::int16_t>(ApiKey::api_versions));
  if (version_supported(api, version)) {
    return encode_response(correlation_id, api, version, supported_versions_response());
  }
  return encode_response(correlation_id, api, 0, supported_versions_response(KafkaError::unsupported_version));
}

}  // namespace strata::kafka
