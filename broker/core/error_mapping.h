// The one place where module errors become the service's errors (DESIGN
// decision 9): storage, batch and system error codes in, a Status with a
// message for a person out.
#pragma once

#include <system_error>

#include "broker/core/status.h"

namespace strata::broker {

[[nodiscard]] Status to_status(std::error_code ec);

}  // namespace strata::broker
