#include "protocol/kafka/topic_configs.h"

#include <algorithm>
#include <array>
#include <set>

namespace strata::kafka {
namespace {

using protocol::TopicConfigSpec;

constexpr std::array<FixedTopicConfig, 1> kFixed{{
    {"cleanup.policy", "delete", "strata deletes old segments only (no log compaction yet): use cleanup.policy=delete"},
}};

const FixedTopicConfig* find_fixed(std::string_view name) noexcept {
  for (const auto& f : kFixed) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

ConfigChanges fail(KafkaError e, std::string message) { return {e, std::move(message), {}}; }

std::string known_keys() {
  std::string out = "known topic configs are";
  const char* sep = " ";
  for (const auto& spec : protocol::topic_config_schema()) {
    if (!kafka_visible(spec)) continue;
    out.append(sep).append(spec.key);
    sep = ", ";
  }
  for (const auto& f : kFixed) out.append(sep).append(f.name).append("=").append(f.value);
  return out;
}

// Resolves one `name = value` (value non-null) into out.changes, or an error.
bool add_set(ConfigChanges& out, std::string_view name, const std::optional<std::string>& value) {
  if (!value) {
    out = fail(KafkaError::invalid_config, std::string(name) + ": a null value is not allowed; omit the key for its default");
    return false;
  }
  if (const FixedTopicConfig* f = find_fixed(name)) {
    if (*value == f->value) return true;
    out = fail(KafkaError::invalid_config, std::string(name) + "=" + *value + ": " + std::string(f->why));
    return false;
  }
  const TopicConfigSpec* spec = protocol::find_topic_config(name);
  if (spec == nullptr || !kafka_visible(*spec)) {
    out = fail(KafkaError::invalid_config, "unknown topic config '" + std::string(name) + "': " + known_keys());
    return false;
  }
  std::int64_t parsed = 0;
  if (auto why = protocol::check_topic_config(*spec, *value, parsed)) {
    out = fail(KafkaError::invalid_config, *why);
    return false;
  }
  out.changes.push_back({spec, parsed});
  return true;
}

bool check_unique(ConfigChanges& out, std::set<std::string_view>& seen, std::string_view name) {
  if (seen.insert(name).second) return true;
  out = fail(KafkaError::invalid_request, "config '" + std::string(name) + "' is named twice: name each key once");
  return false;
}

}  // namespace

std::span<const FixedTopicConfig> fixed_topic_configs() noexcept { return kFixed; }

// partitions and replication.factor are CreateTopics fields in Kafka, not configs.
bool kafka_visible(const TopicConfigSpec& spec) noexcept {
  return spec.key != "partitions" && spec.key != "replication.factor";
}

ConfigChanges changes_for_create(const std::vector<ConfigEntry>& configs) {
  ConfigChanges out;
  std::set<std::string_view> seen;
  for (const auto& c : configs) {
    if (!check_unique(out, seen, c.name) || !add_set(out, c.name, c.value)) return out;
  }
  return out;
}

ConfigChanges changes_for_alter(const std::vector<ConfigEntry>& configs) {
  ConfigChanges out = changes_for_create(configs);
  if (out.error != KafkaError::none) return out;
  for (const auto& spec : protocol::topic_config_schema()) {
    if (!kafka_visible(spec) || !spec.alterable) continue;
    const bool named = std::any_of(configs.begin(), configs.end(), [&](const ConfigEntry& c) { return c.name == spec.key; });
    if (!named) out.changes.push_back({&spec, std::nullopt});
  }
  return out;
}

ConfigChanges changes_for_incremental(const std::vector<IncrementalConfig>& configs) {
  ConfigChanges out;
  std::set<std::string_view> seen;
  for (const auto& c : configs) {
    if (!check_unique(out, seen, c.name)) return out;
    switch (static_cast<ConfigOperation>(c.operation)) {
      case ConfigOperation::set:
        if (!add_set(out, c.name, c.value)) return out;
        break;
      case ConfigOperation::remove: {
        if (find_fixed(c.name) != nullptr) break;  // already the default
        const TopicConfigSpec* spec = protocol::find_topic_config(c.name);
        if (spec == nullptr || !kafka_visible(*spec)) {
          return fail(KafkaError::invalid_config, "unknown topic config '" + c.name + "': " + known_keys());
        }
        out.changes.push_back({spec, std::nullopt});
        break;
      }
      case ConfigOperation::append:
      case ConfigOperation::subtract:
        return fail(KafkaError::invalid_config,
                    c.name + ": APPEND and SUBTRACT apply to list configs, and strata's topic configs are single "
                             "values: use SET");
      default:
        return fail(KafkaError::invalid_request,
                    c.name + ": config operation " + std::to_string(c.operation) + " is not SET, DELETE, APPEND or SUBTRACT");
    }
  }
  return out;
}

std::vector<DescribedConfig> describe_topic_configs(const ConfigLookup& current,
                                                    const std::optional<std::vector<std::string>>& keys,
                                                    bool include_synonyms) {
  const auto wanted = [&](std::string_view name) {
    return !keys || std::find(keys->begin(), keys->end(), name) != keys->end();
  };
  std::vector<DescribedConfig> out;
  for (const auto& spec : protocol::topic_config_schema()) {
    if (!kafka_visible(spec) || !wanted(spec.key)) continue;
    const auto [value, explicitly_set] = current(spec);
    DescribedConfig c;
    c.name = std::string(spec.key);
    c.value = protocol::format_topic_config(spec, value);
    c.read_only = !spec.alterable;
    c.is_default = !explicitly_set;
    c.source = explicitly_set ? ConfigSource::dynamic_topic_config : ConfigSource::default_config;
    if (include_synonyms) c.synonyms.push_back({c.name, c.value, c.source});
    out.push_back(std::move(c));
  }
  for (const auto& f : kFixed) {
    if (!wanted(f.name)) continue;
    DescribedConfig c;
    c.name = std::string(f.name);
    c.value = std::string(f.value);
    c.read_only = true;
    c.is_default = true;
    c.source = ConfigSource::default_config;
    if (include_synonyms) c.synonyms.push_back({c.name, c.value, c.source});
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace strata::kafka
