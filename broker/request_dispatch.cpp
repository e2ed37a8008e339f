#include <chrono>

#include "broker/logger.h"
#include "broker/metrics.h"
#include "broker/request_handlers.h"

namespace strata::broker {

using protocol::ApiKey;
using protocol::ErrorCode;

Response invalid_request(std::uint32_t correlation_id, std::string_view what) {
  log_info(std::string("closing a connection after an invalid request: ") + std::string(what));
  Response r = Response::frame(protocol::error_response_frame(correlation_id, ErrorCode::invalid_request, what), true);
  r.error = ErrorCode::invalid_request;
  return r;
}

namespace {

Response request_error(std::uint32_t correlation_id, ErrorCode code, std::string_view what) {
  Response r = Response::frame(protocol::error_response_frame(correlation_id, code, what));
  r.error = code;
  return r;
}

awaitable<Response> dispatch(Broker& broker, protocol::RequestHeader header, protocol::MutableBytes frame,
                             std::size_t body_at) {
  const auto key = static_cast<std::uint16_t>(header.api_key);
  if (key >= protocol::kApiKeyCount) {
    co_return request_error(header.correlation_id, ErrorCode::unsupported_api,
                            "unknown API key " + std::to_string(key) + "; ApiVersions (key 0) lists the supported ones");
  }
  if (header.api_version != 0) {
    co_return request_error(header.correlation_id, ErrorCode::unsupported_version,
                            std::string(protocol::api_name(header.api_key)) + " version " +
                                std::to_string(header.api_version) + " is not supported; this broker speaks version 0");
  }
  const protocol::Bytes body = protocol::Bytes(frame.subspan(body_at));
  switch (header.api_key) {
    case ApiKey::produce: co_return co_await handle_produce(broker, std::move(header), frame, body_at);
    case ApiKey::fetch: co_return co_await handle_fetch(broker, std::move(header), body);
    case ApiKey::list_offsets: co_return co_await handle_list_offsets(broker, std::move(header), body);
    default: co_return co_await handle_admin(broker, std::move(header), body);
  }
}

}  // namespace

awaitable<Response> handle_request(Broker& broker, protocol::MutableBytes frame) {
  const auto started = std::chrono::steady_clock::now();
  protocol::ByteReader r(frame);
  protocol::RequestHeader header = protocol::read_request_header(r);
  const auto slot = std::min<std::size_t>(r.ok() ? static_cast<std::uint16_t>(header.api_key) : kApiSlots - 1,
                                          kApiSlots - 1);
  Response response;
  if (r.ok()) {
    const auto body_at = static_cast<std::size_t>(r.position() - frame.data());
    response = co_await dispatch(broker, header, frame, body_at);
  } else {
    response = invalid_request(header.correlation_id, "request header is truncated");
  }
  // Back on the connection's shard: its metrics.
  ApiMetrics& m = local_metrics().apis[slot];
  ++m.requests;
  if (response.error != ErrorCode::none) {
    ++m.errors[std::min<std::size_t>(static_cast<std::size_t>(response.error), kErrorSlots - 1)];
  }
  m.latency.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  co_return response;
}

}  // namespace strata::broker
