// Topic configs as Kafka clients see them. strata's keys already carry
// Kafka's names where they mean the same (retention.ms, retention.bytes,
// segment.bytes, segment.ms, max.message.bytes, message.timestamp.type, ...;
// values in the same units and words), so the mapping is: every strata key
// but `partitions` and `replication.factor` (CreateTopics fields in Kafka,
// not configs), plus
// Kafka-only keys strata answers with a fixed value (cleanup.policy=delete).
// Pure functions over protocol/topic_config_schema.h; the front door applies
// the changes through the broker core.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/kafka/create_topics.h"
#include "protocol/kafka/describe_configs.h"
#include "protocol/kafka/error_code.h"
#include "protocol/kafka/incremental_alter_configs.h"
#include "protocol/topic_config_schema.h"

namespace strata::kafka {

// A Kafka topic config strata does not implement but answers, read-only,
// with the one value it behaves as: setting that value is accepted, any
// other is INVALID_CONFIG with `why`.
struct FixedTopicConfig {
  std::string_view name;
  std::string_view value;
  std::string_view why;
};
[[nodiscard]] std::span<const FixedTopicConfig> fixed_topic_configs() noexcept;

// Whether a strata key is shown to and settable by Kafka clients.
[[nodiscard]] bool kafka_visible(const protocol::TopicConfigSpec& spec) noexcept;

struct TopicConfigChange {
  const protocol::TopicConfigSpec* spec = nullptr;
  std::optional<std::int64_t> value;  // nullopt: back to the default
};
struct ConfigChanges {
  KafkaError error = KafkaError::none;
  std::string message;  // with an error: the key and what is allowed
  std::vector<TopicConfigChange> changes;
};

// CreateTopics: each named key is set. Unknown keys, bad values, null values
// and duplicates are INVALID_CONFIG (duplicates INVALID_REQUEST).
[[nodiscard]] ConfigChanges changes_for_create(const std::vector<ConfigEntry>& configs);
// AlterConfigs (Kafka's meaning): the given set replaces the topic's
// configs, so every visible alterable key not named returns to its default.
[[nodiscard]] ConfigChanges changes_for_alter(const std::vector<ConfigEntry>& configs);
// IncrementalAlterConfigs: SET and DELETE (back to default) of the named
// keys only; APPEND/SUBTRACT apply to list configs, which strata has none of.
[[nodiscard]] ConfigChanges changes_for_incremental(const std::vector<IncrementalConfig>& configs);

// DescribeConfigs of one topic: `current` gives each visible key's value and
// whether it was set explicitly (else it is the default). `keys` (null: all)
// filters by name; unknown names are left out, as Kafka does.
using ConfigLookup = std::function<std::pair<std::int64_t, bool>(const protocol::TopicConfigSpec&)>;
[[nodiscard]] std::vector<DescribedConfig> describe_topic_configs(const ConfigLookup& current,
                                                                  const std::optional<std::vector<std::string>>& keys,
                                                                  bool include_synonyms);

}  // namespace strata::kafka
