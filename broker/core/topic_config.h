// A topic's settings: partition count plus the per-topic log configs, their
// textual form (DescribeConfigs/AlterConfigs and the topic.conf file) and
// validation with messages that name the key.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/core/topic_spec.h"
#include "protocol/record_batch.h"
#include "storage/log_config.h"

namespace strata::broker {

struct TopicConfig {
  static constexpr std::uint32_t kDefaultMaxMessageBytes = 1048588;

  std::uint32_t partitions = 1;
  storage::LogConfig log;
  std::uint32_t max_message_bytes = kDefaultMaxMessageBytes;
  // Replication (issue 18): kept in cluster mode's metadata; a standalone
  // broker keeps one replica.
  std::uint32_t replication_factor = 1;
  std::uint32_t min_insync_replicas = 1;
  bool unclean_leader_election = false;
};

// Sets one key from its text. Returns why it cannot, naming the key and the
// allowed range; `partitions` is refused unless allow_partitions.
[[nodiscard]] std::optional<std::string> set_topic_config(TopicConfig& config, std::string_view key,
                                                          std::string_view value, bool allow_partitions);

// Every key with its current value, in a fixed order.
[[nodiscard]] std::vector<ConfigSetting> describe_topic_config(const TopicConfig& config);

// The topic.conf file: one "key=value" per line.
[[nodiscard]] std::string serialize_topic_config(const TopicConfig& config);
[[nodiscard]] std::optional<std::string> parse_topic_config(TopicConfig& config, std::string_view text);

// Parses a decimal integer in [min, max]; nullopt otherwise.
[[nodiscard]] std::optional<std::int64_t> parse_int(std::string_view text, std::int64_t min, std::int64_t max);

}  // namespace strata::broker
