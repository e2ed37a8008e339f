// The topic configs in one table: each key's unit, allowed range, default
// and meaning. The broker validates every value it takes (CreateTopic,
// AlterConfigs, topic.conf, its own defaults for new topics) against it,
// and the CLI's `topic create/alter` options and their --help come from
// it, so the two cannot disagree. PROTOCOL.md's "Topic configs" table says
// the same; the broker's unit tests check its defaults against this one.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace strata::protocol {

struct TopicConfigSpec {
  // choice: the value is one of `choices`, by name; stored as its index.
  enum class Unit { count, bytes, ms, choice };

  std::string_view key;  // e.g. "segment.bytes"
  Unit unit;
  std::int64_t min;           // smallest value (besides -1 when `minus_one` says what it means)
  std::int64_t max;           // largest value
  std::string_view minus_one; // non-empty: -1 is allowed and means this, e.g. "keep forever"
  std::int64_t default_value;
  std::string_view doc;       // what the key does, one phrase
  bool alterable;             // false: set at creation only (partitions)
  std::span<const std::string_view> choices;  // Unit::choice only: the names, index = value
};

// Every key, in the order DescribeConfigs and topic.conf list them.
[[nodiscard]] std::span<const TopicConfigSpec> topic_config_schema() noexcept;
// The key's row, or null for an unknown key.
[[nodiscard]] const TopicConfigSpec* find_topic_config(std::string_view key) noexcept;
// The allowed values in words: "bytes from 1024 to 2147483648",
// "milliseconds >= 0, or -1 = keep forever", "CreateTime or LogAppendTime".
[[nodiscard]] std::string allowed_values(const TopicConfigSpec& spec);
// The value as a client writes it: the choice's name, else decimal.
[[nodiscard]] std::string format_topic_config(const TopicConfigSpec& spec, std::int64_t value);
// Parses a value (decimal, or a choice's name) and checks it against the row: the value, or the
// message naming the key and the allowed values.
[[nodiscard]] std::optional<std::string> check_topic_config(const TopicConfigSpec& spec, std::string_view text,
                                                            std::int64_t& value);
// "known keys are partitions, retention.ms, ...": for unknown-key messages.
[[nodiscard]] std::string known_topic_config_keys();

}  // namespace strata::protocol
