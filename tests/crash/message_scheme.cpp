#include "tests/crash/message_scheme.h"

#include <charconv>

namespace strata::crash {

namespace {

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

template <typename T>
bool parse_decimal(std::string_view text, T& out) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;  // one spelling per number
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

}  // namespace

std::string message_key(MessageId id) { return "p" + std::to_string(id.producer) + "-" + std::to_string(id.seq); }

std::string message_value(std::string_view key) {
  std::uint64_t state = fnv1a(key);
  const std::uint64_t shape = splitmix64(state);
  const std::size_t size = (shape & 31) == 0 ? static_cast<std::size_t>((shape >> 8) % 8192)
                                             : static_cast<std::size_t>((shape >> 8) % 600);
  std::string v(size, '\0');
  for (std::size_t i = 0; i < size; i += 8) {
    std::uint64_t word = splitmix64(state);
    for (std::size_t b = i; b < size && b < i + 8; ++b, word >>= 8) v[b] = static_cast<char>(word & 0xff);
  }
  return v;
}

std::optional<MessageId> parse_message_key(std::string_view key) {
  if (key.size() < 4 || key[0] != 'p') return std::nullopt;
  const auto dash = key.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  MessageId id;
  if (!parse_decimal(key.substr(1, dash - 1), id.producer) || !parse_decimal(key.substr(dash + 1), id.seq)) {
    return std::nullopt;
  }
  return id;
}

}  // namespace strata::crash
