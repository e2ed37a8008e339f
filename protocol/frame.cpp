#include "protocol/frame.h"

namespace strata::protocol {

std::string_view api_name(ApiKey key) noexcept {
  switch (key) {
    case ApiKey::api_versions: return "ApiVersions";
    case ApiKey::metadata: return "Metadata";
    case ApiKey::create_topic: return "CreateTopic";
    case ApiKey::delete_topic: return "DeleteTopic";
    case ApiKey::describe_configs: return "DescribeConfigs";
    case ApiKey::alter_configs: return "AlterConfigs";
    case ApiKey::produce: return "Produce";
    case ApiKey::fetch: return "Fetch";
    case ApiKey::list_offsets: return "ListOffsets";
    case ApiKey::init_producer_id: return "InitProducerId";
    case ApiKey::describe_retention: return "DescribeRetention";
  }
  return "Unknown";
}

std::uint32_t read_frame_size(const std::uint8_t* prefix) noexcept { return load_le<std::uint32_t>(prefix); }

ErrorCode check_frame_size(std::uint32_t size, std::uint32_t min_frame, std::uint32_t max_frame) noexcept {
  if (size > max_frame) return ErrorCode::frame_too_large;
  if (size < min_frame) return ErrorCode::invalid_request;
  return ErrorCode::none;
}

RequestHeader read_request_header(ByteReader& r) {
  RequestHeader h;
  h.api_key = static_cast<ApiKey>(r.fixed<std::uint16_t>());
  h.api_version = r.fixed<std::uint16_t>();
  h.correlation_id = r.fixed<std::uint32_t>();
  h.client_id = std::string(read_string(r));
  return h;
}

void begin_request(ByteWriter& w, const RequestHeader& h) {
  w.fixed<std::uint32_t>(0);
  w.fixed(static_cast<std::uint16_t>(h.api_key));
  w.fixed(h.api_version);
  w.fixed(h.correlation_id);
  w.string(h.client_id);
}

void begin_response(ByteWriter& w, std::uint32_t correlation_id, ErrorCode error) {
  w.fixed<std::uint32_t>(0);
  w.fixed(correlation_id);
  w.fixed(static_cast<std::uint16_t>(error));
}

ResponseHeader read_response_header(ByteReader& r) {
  ResponseHeader h;
  h.correlation_id = r.fixed<std::uint32_t>();
  h.error = static_cast<ErrorCode>(r.fixed<std::uint16_t>());
  return h;
}

std::vector<std::uint8_t> error_response_frame(std::uint32_t correlation_id, ErrorCode error,
                                               std::string_view message) {
  ByteWriter w;
  begin_response(w, correlation_id, error);
  w.string(message.substr(0, 65535));
  finish_frame(w);
  return w.take();
}

void finish_frame(ByteWriter& w, std::size_t frame_start) noexcept {
  w.patch_u32(frame_start, static_cast<std::uint32_t>(w.size() - frame_start - kFrameSizeBytes));
}

}  // namespace strata::protocol
