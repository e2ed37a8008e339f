// Kafka's topic config changes (protocol/kafka/topic_configs.h) as the
// service's settings, and a topic's current configs as Kafka's lookup. A
// key returning to its default takes the broker's default for new topics
// (its topic defaults, e.g. --retention-ms), as a topic created without it
// would have.
#pragma once

#include <vector>

#include "broker/core/topic_config.h"
#include "protocol/kafka/topic_configs.h"

namespace strata::broker::kafka {

// `defaults`: the broker's defaults for new topics (BrokerConfig::topic_defaults).
// The changes as (key, value text) settings for create_topic/alter_configs.
[[nodiscard]] std::vector<ConfigSetting> settings_for(const TopicConfig& defaults,
                                                      const strata::kafka::ConfigChanges& changes);

// Each key's value in `current` (a topic's describe_configs), and whether it
// differs from the broker's default for new topics (Kafka's "set
// explicitly": strata does not record which keys were given).
[[nodiscard]] strata::kafka::ConfigLookup lookup_in(const TopicConfig& defaults, std::vector<ConfigSetting> current);

}  // namespace strata::broker::kafka
