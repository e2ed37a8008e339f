// Sizes and durations as people write them ("64MiB", "7d"), parsed by one
// function each, shared by the broker's config file and flags, topic
// configs (whatever the front door) and the CLI, so every place accepts
// the same spellings.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace strata::protocol {

// "1048576", "64KiB", "64MiB", "1GiB", "1TiB", "64K", "10KB", "5MB", "2GB"
// -> bytes; "-1" stays -1; anything else (or an overflow) is nullopt.
[[nodiscard]] std::optional<std::int64_t> parse_size(std::string_view text);
// "500ms", "30s", "15m", "15min", "1h", "7d", "2w", plain milliseconds, or
// "-1" -> milliseconds.
[[nodiscard]] std::optional<std::int64_t> parse_duration_ms(std::string_view text);
// A plain decimal integer (any sign).
[[nodiscard]] std::optional<std::int64_t> parse_integer(std::string_view text);

}  // namespace strata::protocol
