// A response as read off a client connection: the decoded header and the
// frame's bytes, which own what body() views.
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/frame.h"

namespace strata::client {

struct ResponseFrame {
  protocol::ResponseHeader header;
  std::vector<std::uint8_t> bytes;  // the frame after its size prefix
  std::size_t body_at = 0;
  [[nodiscard]] protocol::Bytes body() const { return protocol::Bytes(bytes).subspan(body_at); }
};

// Throws the broker's request-level error (header error code and message)
// unless the header says NONE.
void throw_if_request_failed(const ResponseFrame& frame);

}  // namespace strata::client
