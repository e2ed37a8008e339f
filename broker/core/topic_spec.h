// What an admin call asks of a topic, in the service's terms: its name,
// partition count and config settings as text (parsed and checked against
// the topic config schema by topic_config.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata::broker {

struct ConfigSetting {
  std::string key;
  std::string value;
  bool operator==(const ConfigSetting&) const = default;
};

struct TopicSpec {
  std::string name;
  std::uint32_t partitions = 1;
  std::vector<ConfigSetting> configs;
};

}  // namespace strata::broker
