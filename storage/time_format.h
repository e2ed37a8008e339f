// Times and durations in words for people: log lines, error messages and
// `strata topic describe --retention`. Pure functions, any thread.
#pragma once

#include <cstdint>
#include <string>

namespace strata::storage {

// UTC with milliseconds, ISO 8601: "2036-12-05T10:00:00.000Z". A value
// outside years 0..9999 is given as "<n> ms since the epoch" instead.
[[nodiscard]] std::string format_utc_ms(std::int64_t ms_since_epoch);

// The two largest units of a non-negative duration: "6d 23h", "59m 59s",
// "1.250s", "0ms". Negative durations are given as "0ms".
[[nodiscard]] std::string format_duration_ms(std::int64_t ms);

}  // namespace strata::storage
