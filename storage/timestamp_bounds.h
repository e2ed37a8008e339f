// message.timestamp.before.max.ms / after.max.ms: how far a CreateTime
// record's timestamp may be from the broker's clock. One record out of
// bounds refuses its whole batch, so a producer with a wrong clock cannot
// stall time retention (a segment is deleted by its newest timestamp) or
// have its records deleted at once (a timestamp from 1970). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/log_config.h"

namespace strata::storage {

// Why a batch is refused: one record's timestamp, the clock it was judged
// by, and the bound it passed.
struct TimestampRefusal {
  std::int64_t timestamp = 0;  // the offending record's (the batch's min or max)
  std::int64_t now_ms = 0;     // the broker's clock
  std::int64_t bound_ms = 0;   // after.max.ms when `future`, else before.max.ms
  bool future = false;         // ahead of the clock rather than behind it

  // For the producer: the timestamp, the clock and the bound, each with
  // its date, and what to do.
  [[nodiscard]] std::string message() const;
};

// The bound the batch whose records span [min_ts, max_ts] breaks, if any:
// the future bound is checked first. Always nullopt for LogAppendTime (the
// broker's clock replaces the producer's). Never overflows, whatever the
// timestamps.
[[nodiscard]] std::optional<TimestampRefusal> check_timestamp_bounds(const LogConfig& config, std::int64_t min_ts,
                                                                     std::int64_t max_ts, std::int64_t now_ms) noexcept;

}  // namespace strata::storage
