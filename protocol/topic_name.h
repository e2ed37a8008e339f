// The topic naming rule (PROTOCOL.md, "Topic names"): 1-249 characters of
// [A-Za-z0-9._-], and neither "." nor "..". A name that passes is safe to
// use as a directory name; nothing else is ever used as a path.
#pragma once

#include <string_view>

namespace strata::protocol {

inline constexpr std::size_t kMaxTopicNameLength = 249;

[[nodiscard]] constexpr bool valid_topic_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > kMaxTopicNameLength || name == "." || name == "..") return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace strata::protocol
