#include "protocol/units.h"

#include <charconv>
#include <cstdint>
#include <utility>

namespace strata::protocol {

namespace {

// Splits "64MiB" into 64 and "MiB".
std::pair<std::optional<std::int64_t>, std::string_view> split_unit(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == '-' || (text[i] >= '0' && text[i] <= '9'))) ++i;
  return {parse_integer(text.substr(0, i)), text.substr(i)};
}

std::optional<std::int64_t> scaled(std::optional<std::int64_t> n, std::int64_t factor) {
  if (!n || *n < 0) return std::nullopt;
  if (*n > INT64_MAX / factor) return std::nullopt;
  return *n * factor;
}

}  // namespace

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_size(std::string_view text) {
  if (text == "-1") return -1;
  auto [n, unit] = split_unit(text);
  if (unit.empty() || unit == "B") return n && *n >= 0 ? n : std::nullopt;
  if (unit == "KiB" || unit == "K") return scaled(n, 1024);
  if (unit == "MiB" || unit == "M") return scaled(n, 1024 * 1024);
  if (unit == "GiB" || unit == "G") return scaled(n, 1024LL * 1024 * 1024);
  if (unit == "TiB") return scaled(n, 1024LL * 1024 * 1024 * 1024);
  if (unit == "KB") return scaled(n, 1000);
  if (unit == "MB") return scaled(n, 1000 * 1000);
  if (unit == "GB") return scaled(n, 1000LL * 1000 * 1000);
  return std::nullopt;
}

std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
  if (text == "-1") return -1;
  auto [n, unit] = split_unit(text);
  if (unit.empty() || unit == "ms") return n && *n >= 0 ? n : std::nullopt;
  if (unit == "s") return scaled(n, 1000);
  if (unit == "m" || unit == "min") return scaled(n, 60 * 1000);
  if (unit == "h") return scaled(n, 3600 * 1000);
  if (unit == "d") return scaled(n, 24LL * 3600 * 1000);
  if (unit == "w") return scaled(n, 7LL * 24 * 3600 * 1000);
  return std::nullopt;
}

}  // namespace strata::protocol
