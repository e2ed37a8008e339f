// The messages of the crash test: producer thread t's message number s has
// key "p<t>-<s>" and a value computed from the key alone (size and bytes),
// so any record read back can be checked without a copy of what was sent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata::crash {

struct MessageId {
  std::uint32_t producer = 0;
  std::uint64_t seq = 0;
  bool operator==(const MessageId&) const = default;
};

[[nodiscard]] std::string message_key(MessageId id);
// The value of the message with this key: 0 to ~600 bytes, with one in 32
// up to ~8 KiB, deterministic pseudo-random bytes (any byte value).
[[nodiscard]] std::string message_value(std::string_view key);
// The id a key stands for, or nullopt if it is not one of ours.
[[nodiscard]] std::optional<MessageId> parse_message_key(std::string_view key);

}  // namespace strata::crash
