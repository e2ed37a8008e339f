#include "client/response_frame.h"

#include <string>

#include "client/client_error.h"

namespace strata::client {

void throw_if_request_failed(const ResponseFrame& frame) {
  if (frame.header.error == protocol::ErrorCode::none) return;
  protocol::ByteReader r(frame.body());
  throw ClientError::from_broker(frame.header.error, std::string(protocol::read_string(r)));
}

}  // namespace strata::client
