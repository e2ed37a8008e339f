#include "broker/core/topic_config.h"

#include <charconv>
#include <stdexcept>

#include "protocol/topic_config_schema.h"

namespace strata::broker {

std::optional<std::int64_t> parse_int(std::string_view text, std::int64_t min, std::int64_t max) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size() || v < min || v > max) return std::nullopt;
  return v;
}

namespace {

using protocol::TopicConfigSpec;

// Where each key of the schema lives in a TopicConfig. The schema's limits
// keep every value in the field's range.
struct Field {
  std::string_view key;
  std::int64_t (*get)(const TopicConfig&);
  void (*set)(TopicConfig&, std::int64_t);
};
constexpr Field kFields[] = {
    {"partitions", [](const TopicConfig& c) -> std::int64_t { return c.partitions; },
     [](TopicConfig& c, std::int64_t v) { c.partitions = static_cast<std::uint32_t>(v); }},
    {"retention.ms", [](const TopicConfig& c) { return c.log.retention_ms; },
     [](TopicConfig& c, std::int64_t v) { c.log.retention_ms = v; }},
    {"retention.bytes", [](const TopicConfig& c) { return c.log.retention_bytes; },
     [](TopicConfig& c, std::int64_t v) { c.log.retention_bytes = v; }},
    {"segment.bytes", [](const TopicConfig& c) { return static_cast<std::int64_t>(c.log.segment_bytes); },
     [](TopicConfig& c, std::int64_t v) { c.log.segment_bytes = static_cast<std::uint64_t>(v); }},
    {"segment.ms", [](const TopicConfig& c) { return c.log.segment_ms; },
     [](TopicConfig& c, std::int64_t v) { c.log.segment_ms = v; }},
    {"segment.jitter.ms", [](const TopicConfig& c) { return c.log.segment_jitter_ms; },
     [](TopicConfig& c, std::int64_t v) { c.log.segment_jitter_ms = v; }},
    {"message.timestamp.type", [](const TopicConfig& c) { return static_cast<std::int64_t>(c.log.timestamp_type); },
     [](TopicConfig& c, std::int64_t v) { c.log.timestamp_type = static_cast<storage::TimestampType>(v); }},
    {"message.timestamp.before.max.ms", [](const TopicConfig& c) { return c.log.timestamp_before_max_ms; },
     [](TopicConfig& c, std::int64_t v) { c.log.timestamp_before_max_ms = v; }},
    {"message.timestamp.after.max.ms", [](const TopicConfig& c) { return c.log.timestamp_after_max_ms; },
     [](TopicConfig& c, std::int64_t v) { c.log.timestamp_after_max_ms = v; }},
    {"max.message.bytes", [](const TopicConfig& c) -> std::int64_t { return c.max_message_bytes; },
     [](TopicConfig& c, std::int64_t v) { c.max_message_bytes = static_cast<std::uint32_t>(v); }},
    {"index.interval.bytes", [](const TopicConfig& c) -> std::int64_t { return c.log.index_interval_bytes; },
     [](TopicConfig& c, std::int64_t v) { c.log.index_interval_bytes = static_cast<std::uint32_t>(v); }},
    {"pagecache.keep.bytes", [](const TopicConfig& c) { return c.log.pagecache_keep_bytes; },
     [](TopicConfig& c, std::int64_t v) { c.log.pagecache_keep_bytes = v; }},
    {"replication.factor", [](const TopicConfig& c) -> std::int64_t { return c.replication_factor; },
     [](TopicConfig& c, std::int64_t v) { c.replication_factor = static_cast<std::uint32_t>(v); }},
    {"min.insync.replicas", [](const TopicConfig& c) -> std::int64_t { return c.min_insync_replicas; },
     [](TopicConfig& c, std::int64_t v) { c.min_insync_replicas = static_cast<std::uint32_t>(v); }},
    {"unclean.leader.election.enable", [](const TopicConfig& c) -> std::int64_t { return c.unclean_leader_election; },
     [](TopicConfig& c, std::int64_t v) { c.unclean_leader_election = v != 0; }},
};

const Field& field_of(std::string_view key) {
  for (const auto& f : kFields) {
    if (f.key == key) return f;
  }
  throw std::logic_error("topic config key without a field: " + std::string(key));  // a test rules this out
}

}  // namespace

std::optional<std::string> set_topic_config(TopicConfig& c, std::string_view key, std::string_view value,
                                            bool allow_partitions) {
  const TopicConfigSpec* spec = protocol::find_topic_config(key);
  if (!spec) return "unknown topic config '" + std::string(key.substr(0, 100)) + "': " + protocol::known_topic_config_keys();
  if (!spec->alterable && !allow_partitions) return std::string(key) + " cannot be changed after a topic is created";
  std::int64_t v = 0;
  if (auto err = protocol::check_topic_config(*spec, value, v)) return err;
  field_of(key).set(c, v);
  return std::nullopt;
}

std::vector<ConfigSetting> describe_topic_config(const TopicConfig& c) {
  std::vector<ConfigSetting> out;
  for (const auto& spec : protocol::topic_config_schema()) {
    out.push_back({std::string(spec.key), protocol::format_topic_config(spec, field_of(spec.key).get(c))});
  }
  return out;
}

std::string serialize_topic_config(const TopicConfig& c) {
  std::string out;
  for (const auto& e : describe_topic_config(c)) out += e.key + "=" + e.value + "\n";
  return out;
}

std::optional<std::string> parse_topic_config(TopicConfig& c, std::string_view text) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return "malformed line '" + std::string(line) + "'";
    if (auto err = set_topic_config(c, line.substr(0, eq), line.substr(eq + 1), true)) return err;
  }
  return std::nullopt;
}

}  // namespace strata::broker
