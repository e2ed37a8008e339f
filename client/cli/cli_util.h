// Small parsers and printers shared by the strata CLI's commands: sizes
// ("64MiB"), durations ("7d", "500ms"), times (ISO 8601 or epoch ms), JSON
// string escaping, and the error type for bad command-line input.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "strata/producer.h"

namespace strata::cli {

// A mistake on the command line: printed as one line, exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "1048576", "64KiB", "64MiB", "1GiB", "10KB", "5MB", "2GB" -> bytes; "-1" stays -1.
[[nodiscard]] std::optional<std::int64_t> parse_size(std::string_view text);
// "500ms", "30s", "15m", "1h", "7d", plain ms, or "-1" -> milliseconds.
[[nodiscard]] std::optional<std::int64_t> parse_duration_ms(std::string_view text);
// "2026-11-21T18:00:00Z", "2026-11-21T18:00:00.250+01:00", "2026-11-21", or epoch ms.
[[nodiscard]] std::optional<std::int64_t> parse_time_ms(std::string_view text);
// Epoch ms as "2026-11-21T18:00:00.250Z".
[[nodiscard]] std::string format_time_ms(std::int64_t ms);

// Same as the parsers above but throwing UsageError naming the option.
std::int64_t size_option(const std::string& option, const std::string& text);
std::int64_t duration_option(const std::string& option, const std::string& text);
// A duration in milliseconds that fits a client option's uint32 (0..49d).
std::uint32_t ms_option(const std::string& command, const std::string& option, const std::string& text);
std::int64_t time_option(const std::string& option, const std::string& text);
// "none", "leader" or "durable"; `command` names who asks in the error.
Acks acks_option(const std::string& command, const std::string& text);
Compression compression_option(const std::string& command, const std::string& text);

[[nodiscard]] bool valid_utf8(std::string_view s) noexcept;
// A JSON value for arbitrary bytes: a string when they are UTF-8, else
// {"base64":"..."} so nothing is lost.
[[nodiscard]] std::string json_bytes(std::string_view bytes);
[[nodiscard]] std::string json_string(std::string_view utf8);
[[nodiscard]] std::string base64(std::string_view bytes);

}  // namespace strata::cli
