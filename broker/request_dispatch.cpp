#include "broker/logger.h"
#include "broker/request_handlers.h"

namespace strata::broker {

using protocol::ApiKey;
using protocol::ErrorCode;

Response invalid_request(std::uint32_t correlation_id, std::string_view what) {
  log_info(std::string("closing a connection after an invalid request: ") + std::string(what));
  return Response::frame(protocol::error_response_frame(correlation_id, ErrorCode::invalid_request, what), true);
}

awaitable<Response> handle_request(Broker& broker, protocol::MutableBytes frame) {
  protocol::ByteReader r(frame);
  protocol::RequestHeader header = protocol::read_request_header(r);
  if (!r.ok()) co_return invalid_request(header.correlation_id, "request header is truncated");
  const auto key = static_cast<std::uint16_t>(header.api_key);
  if (key >= protocol::kApiKeyCount) {
    co_return Response::frame(protocol::error_response_frame(
        header.correlation_id, ErrorCode::unsupported_api,
        "unknown API key " + std::to_string(key) + "; ApiVersions (key 0) lists the supported ones"));
  }
  if (header.api_version != 0) {
    co_return Response::frame(protocol::error_response_frame(
        header.correlation_id, ErrorCode::unsupported_version,
        std::string(protocol::api_name(header.api_key)) + " version " + std::to_string(header.api_version) +
            " is not supported; this broker speaks version 0"));
  }
  const auto body_at = static_cast<std::size_t>(r.position() - frame.data());
  const protocol::Bytes body = protocol::Bytes(frame.subspan(body_at));
  switch (header.api_key) {
    case ApiKey::produce: co_return co_await handle_produce(broker, std::move(header), frame, body_at);
    case ApiKey::fetch: co_return co_await handle_fetch(broker, std::move(header), body);
    case ApiKey::list_offsets: co_return co_await handle_list_offsets(broker, std::move(header), body);
    default: co_return co_await handle_admin(broker, std::move(header), body);
  }
}

}  // namespace strata::broker
