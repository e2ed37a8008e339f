// What every handler of strata's protocol shares: refusals and the admin
// shard's status answers.
#include "broker/native/request_handlers.h"
#include "broker/ops/metrics.h"
#include "broker/runtime/logger.h"

namespace strata::broker {

using protocol::ErrorCode;

Response invalid_request(std::uint32_t correlation_id, std::string_view what) {
  log_info(std::string("closing a connection after an invalid request: ") + std::string(what));
  Response r = Response::frame(protocol::error_response_frame(correlation_id, ErrorCode::invalid_request, what), true);
  r.error = ErrorCode::invalid_request;
  return r;
}

Response request_error(std::uint32_t correlation_id, ErrorCode code, std::string_view what) {
  Response r = Response::frame(protocol::error_response_frame(correlation_id, code, what));
  r.error = code;
  return r;
}

awaitable<Response> status_on_admin(const ApiRequest& r, awaitable<Status> op) {
  Status status = co_await asio::co_spawn(r.broker.shard(0).context(), std::move(op), asio::use_awaitable);
  protocol::StatusResponse answer{native::to_wire(status.code), std::move(status.message)};
  count_error(r.header.api_key, answer.error);
  Response out = encode_response(r.header.correlation_id, answer);
  co_return out;
}

}  // namespace strata::broker
