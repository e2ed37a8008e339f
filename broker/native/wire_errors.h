// strata's protocol's half of DESIGN decision 9: the service's errors
// (core/status.h) as wire error codes, in this one place.
#pragma once

#include "broker/core/status.h"
#include "protocol/error_code.h"

namespace strata::broker::native {

[[nodiscard]] protocol::ErrorCode to_wire(Errc code) noexcept;

}  // namespace strata::broker::native
