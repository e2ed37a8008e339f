// What strata's Fetch response costs besides records, for the service's
// response budget (core/fetch_budget.h).
#pragma once

#include <cstdint>

#include "protocol/data_messages.h"

namespace strata::broker {

// Bytes of a Fetch response frame other than records: the size prefix, the
// response header, and every topic's and partition's fixed part.
[[nodiscard]] std::uint64_t fetch_response_overhead(const protocol::FetchRequest& request) noexcept;

}  // namespace strata::broker
