// Kafka's topic config changes (protocol/kafka/topic_configs.h) as the
// service's settings, and a topic's current configs as Kafka's lookup. A
// key returning to its default takes the broker's default for new topics
// (its topic defaults, e.g. --retention-ms), as a topic created without it
// would have.
#pragma once

#include <vector>

#include "broker/core/broker.h"
#include "protocol/kafka/topic_configs.h"

namespace strata::broker::kafka {

// The changes as (key, value text) settings for create_topic/alter_configs.
[[nodiscard]] std::vector<ConfigSetting> settings_for(const Broker& broker, const strata::kafka::ConfigChanges& changes);

// Each key's value in `current` (a topic's describe_configs), and whether it
// differs from the broker's default for new topics (Kafka's "set
// explicitly": strata does not record which keys were given).
[[nodiscard]] strata::kafka::ConfigLookup lookup_in(const Broker& broker, std::vector<ConfigSetting> current);

}  // namespace strata::broker::kafka
