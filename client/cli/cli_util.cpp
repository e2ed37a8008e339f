#include "client/cli/cli_util.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <limits>

#include "protocol/units.h"

namespace strata::cli {

namespace {

std::optional<std::int64_t> parse_number(std::string_view text) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<std::int64_t> parse_size(std::string_view text) { return protocol::parse_size(text); }

std::optional<std::int64_t> parse_duration_ms(std::string_view text) { return protocol::parse_duration_ms(text); }

std::optional<std::int64_t> parse_time_ms(std::string_view text) {
  if (auto ms = parse_number(text)) return ms;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  const std::string str(text);
  if (std::sscanf(str.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) return std::nullopt;
  std::string_view rest = text.substr(10);
  std::int64_t millis = 0, offset_s = 0;
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
    const std::string r(rest.substr(1));
    if (std::sscanf(r.c_str(), "%2d:%2d:%2d%n", &h, &mi, &s, &consumed) != 3 || consumed != 8) return std::nullopt;
    rest = rest.substr(9);
    if (!rest.empty() && rest[0] == '.') {
      std::size_t i = 1;
      std::int64_t scale = 100;
      while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') {
        millis += (rest[i] - '0') * scale;
        scale /= 10;
        ++i;
      }
      rest = rest.substr(i);
    }
    if (rest == "Z" || rest.empty()) {
      offset_s = 0;
    } else if ((rest[0] == '+' || rest[0] == '-') && rest.size() == 6 && rest[3] == ':') {
      auto oh = parse_number(rest.substr(1, 2));
      auto om = parse_number(rest.substr(4, 2));
      if (!oh || !om) return std::nullopt;
      offset_s = (*oh * 3600 + *om * 60) * (rest[0] == '+' ? 1 : -1);
    } else {
      return std::nullopt;
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const std::time_t t = timegm(&tm);
  return (static_cast<std::int64_t>(t) - offset_s) * 1000 + millis;
}

std::string format_time_ms(std::int64_t ms) {
  // Floor division: -1 ms is 1969-12-31T23:59:59.999Z, not 00:00:00.999.
  const std::int64_t seconds = ms / 1000 - (ms % 1000 < 0 ? 1 : 0);
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms - seconds * 1000));
  return buf;
}

std::int64_t size_option(const std::string& option, const std::string& text) {
  auto v = parse_size(text);
  if (!v) throw UsageError("--" + option + ": '" + text + "' is not a size (examples: 1048576, 64KiB, 64MiB, 1GiB, -1)");
  return *v;
}

std::int64_t duration_option(const std::string& option, const std::string& text) {
  auto v = parse_duration_ms(text);
  if (!v) throw UsageError("--" + option + ": '" + text + "' is not a duration (examples: 500ms, 30s, 15m, 1h, 7d, -1)");
  return *v;
}

std::uint32_t ms_option(const std::string& command, const std::string& option, const std::string& text) {
  const std::int64_t ms = duration_option(option, text);
  if (ms < 0 || ms > std::numeric_limits<std::uint32_t>::max()) {
    throw UsageError(command + ": --" + option + " must be between 0 and 49d");
  }
  return static_cast<std::uint32_t>(ms);
}

std::int64_t time_option(const std::string& option, const std::string& text) {
  auto v = parse_time_ms(text);
  if (!v) {
    throw UsageError("--" + option + ": '" + text +
                     "' is not a time (ISO 8601 like 2026-11-21T18:00:00Z, or milliseconds since the epoch)");
  }
  if (*v < 0) {
    // On the wire -1 and -2 mean "latest" and "earliest": a time before
    // 1970 must never be taken for one of them.
    throw UsageError("--" + option + ": '" + text + "' is before 1970-01-01T00:00:00Z; times must be at or after it " +
                     "(to start at the beginning use --offset earliest)");
  }
  return *v;
}

Acks acks_option(const std::string& command, const std::string& text) {
  if (text == "none") return Acks::none;
  if (text == "leader") return Acks::leader;
  if (text == "durable") return Acks::durable;
  throw UsageError(command + ": --acks must be none, leader or durable, not '" + text + "'");
}

Compression compression_option(const std::string& command, const std::string& text) {
  static constexpr std::pair<std::string_view, Compression> kCodecs[] = {{"none", Compression::none},
                                                                         {"gzip", Compression::gzip},
                                                                         {"snappy", Compression::snappy},
                                                                         {"lz4", Compression::lz4},
                                                                         {"zstd", Compression::zstd}};
  for (const auto& [name, codec] : kCodecs) {
    if (text == name) return codec;
  }
  throw UsageError(command + ": --compression must be none, gzip, snappy, lz4 or zstd, not '" + text + "'");
}

bool valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::string json_string(std::string_view utf8) {
  std::string out = "\"";
  for (const char ch : utf8) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

std::string base64(std::string_view bytes) {
  static constexpr char kTable[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                            (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += kTable[(v >> 6) & 63];
    out += kTable[v & 63];
  }
  if (i < bytes.size()) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kTable[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string json_bytes(std::string_view bytes) {
  if (valid_utf8(bytes)) return json_string(bytes);
  return "{\"base64\":\"" + base64(bytes) + "\"}";
}

}  // namespace strata::cli
