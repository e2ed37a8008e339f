// Shared helpers of the broker API integration tests: the protocol names they
// use, elapsed time, and the records a fetch should return.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "tests/integration/test_util.h"

namespace strata::it {

using protocol::Acks;
using protocol::ApiKey;
using protocol::ErrorCode;
using Clock = std::chrono::steady_clock;

// Milliseconds from t until now.
long long ms_since(Clock::time_point t);

// The records of `expected` starting at offset `first`, as a fetch would return them.
void check_records(const std::vector<FetchedRecord>& got, std::uint64_t first, const std::vector<Rec>& expected);

}  // namespace strata::it
