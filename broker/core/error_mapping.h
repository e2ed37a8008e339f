// The one place where module errors become wire error codes (DESIGN
// decision 9): storage, batch and system errors in, protocol::ErrorCode and
// a message for a person out.
#pragma once

#include <string>
#include <system_error>

#include "protocol/error_code.h"

namespace strata::broker {

struct WireError {
  protocol::ErrorCode code = protocol::ErrorCode::none;
  std::string message;
};

[[nodiscard]] WireError to_wire_error(std::error_code ec);

}  // namespace strata::broker
