#include <chrono>

#include "broker/ops/metrics.h"
#include "broker/native/request_handlers.h"

namespace strata::broker {

using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

awaitable<Response> dispatch(ApiRequest request) {
  const auto key = static_cast<std::uint16_t>(request.header.api_key);
  const ApiEntry* api = request.table.find(key);
  const auto id = request.header.correlation_id;
  if (api == nullptr) {
    co_return request_error(id, ErrorCode::unsupported_api,
                            "unknown API key " + std::to_string(key) + "; ApiVersions (key 0) lists the supported ones");
  }
  const auto version = request.header.api_version;
  if (version < api->min_version || version > api->max_version) {
    co_return request_error(id, ErrorCode::unsupported_version,
                            std::string(protocol::api_name(request.header.api_key)) + " version " +
                                std::to_string(version) + " is not supported; this broker speaks versions " +
                                std::to_string(api->min_version) + " to " + std::to_string(api->max_version));
  }
  Response response = co_await api->handler(std::move(request));
  co_return response;
}

}  // namespace

awaitable<Response> handle_request(Broker& broker, protocol::MutableBytes frame, const ApiTable& table) {
  const auto started = std::chrono::steady_clock::now();
  protocol::ByteReader r(frame);
  protocol::RequestHeader header = protocol::read_request_header(r);
  const auto slot = std::min<std::size_t>(r.ok() ? static_cast<std::uint16_t>(header.api_key) : kApiSlots - 1,
                                          kApiSlots - 1);
  Response response;
  if (r.ok()) {
    const auto body_at = static_cast<std::size_t>(r.position() - frame.data());
    // A named local: GCC 12 mishandles aggregate temporaries inside co_await.
    ApiRequest request{broker, table, std::move(header), frame, body_at};
    response = co_await dispatch(std::move(request));
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
