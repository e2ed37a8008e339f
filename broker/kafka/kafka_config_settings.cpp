#include "broker/kafka/kafka_config_settings.h"

#include <algorithm>

namespace strata::broker::kafka {

namespace {

const std::string* find_value(const std::vector<ConfigSetting>& settings, std::string_view key) {
  auto it = std::find_if(settings.begin(), settings.end(), [key](const ConfigSetting& s) { return s.key == key; });
  return it == settings.end() ? nullptr : &it->value;
}

}  // namespace

std::vector<ConfigSetting> settings_for(const TopicConfig& topic_defaults, const strata::kafka::ConfigChanges& changes) {
  const std::vector<ConfigSetting> defaults = describe_topic_config(topic_defaults);
  std::vector<ConfigSetting> out;
  for (const auto& change : changes.changes) {
    std::string key(change.spec->key);
    if (change.value) {
      out.push_back({std::move(key), protocol::format_topic_config(*change.spec, *change.value)});
    } else if (const std::string* def = find_value(defaults, key)) {
      out.push_back({std::move(key), *def});
    } else {
      out.push_back({std::move(key), protocol::format_topic_config(*change.spec, change.spec->default_value)});
    }
  }
  return out;
}

strata::kafka::ConfigLookup lookup_in(const TopicConfig& topic_defaults, std::vector<ConfigSetting> current) {
  std::vector<ConfigSetting> defaults = describe_topic_config(topic_defaults);
  return [current = std::move(current), defaults = std::move(defaults)](const protocol::TopicConfigSpec& spec) {
    const std::string* text = find_value(current, spec.key);
    std::int64_t value = spec.default_value;
    if (text == nullptr || protocol::check_topic_config(spec, *text, value)) return std::pair{spec.default_value, false};
    const std::string* def = find_value(defaults, spec.key);
    return std::pair{value, def == nullptr || *def != *text};
  };
}

}  // namespace strata::broker::kafka
