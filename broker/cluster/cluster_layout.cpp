#include "broker/cluster/cluster_layout.h"

#include <charconv>
#include <initializer_list>
#include <limits>
#include <optional>

#include "protocol/topic_name.h"

namespace strata::cluster {

namespace {

constexpr std::string_view kBrokers = "brokers/";
constexpr std::string_view kController = "controller";
constexpr std::string_view kTopics = "topics/";
constexpr std::string_view kPartitions = "partitions/";

// Plain decimal in [0, INT32_MAX], no leading zeros.
std::optional<std::int32_t> parse_id(std::string_view s) {
  if (s.empty() || s.size() > 10 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < 0 || v > std::numeric_limits<std::int32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<std::int32_t>(v);
}

// Concatenation by append: GCC 12 reports a false -Wrestrict for
// operator+ chains on std::string.
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (const auto p : parts) out.append(p);
  return out;
}

}  // namespace

bool valid_cluster_name(std::string_view name) noexcept {
  return name.size() <= kMaxClusterNameLength && protocol::valid_topic_name(name);
}

ClusterLayout::ClusterLayout(std::string_view name) : prefix_(cat({"/", name, "/"})) {}

std::string ClusterLayout::cluster_id_key() const { return cat({prefix_, "cluster_id"}); }
std::string ClusterLayout::brokers_prefix() const { return cat({prefix_, kBrokers}); }
std::string ClusterLayout::broker_key(std::int32_t id) const { return cat({prefix_, kBrokers, std::to_string(id)}); }
std::string ClusterLayout::controller_key() const { return cat({prefix_, kController}); }
std::string ClusterLayout::topics_prefix() const { return cat({prefix_, kTopics}); }
std::string ClusterLayout::topic_key(std::string_view topic) const { return cat({prefix_, kTopics, topic}); }
std::string ClusterLayout::partitions_prefix() const { return cat({prefix_, kPartitions}); }
std::string ClusterLayout::partitions_prefix(std::string_view topic) const {
  return cat({prefix_, kPartitions, topic, "/"});
}
std::string ClusterLayout::partition_key(std::string_view topic, std::int32_t partition) const {
  return cat({prefix_, kPartitions, topic, "/", std::to_string(partition)});
}

ClusterKey ClusterLayout::parse(std::string_view key) const {
  ClusterKey out;
  if (!key.starts_with(prefix_)) return out;
  key.remove_prefix(prefix_.size());
  if (key == kController) {
    out.kind = ClusterKey::Kind::controller;
  } else if (key.starts_with(kBrokers)) {
    if (const auto id = parse_id(key.substr(kBrokers.size()))) {
      out.kind = ClusterKey::Kind::broker;
      out.broker_id = *id;
    }
  } else if (key.starts_with(kTopics)) {
    const auto topic = key.substr(kTopics.size());
    if (protocol::valid_topic_name(topic)) {
      out.kind = ClusterKey::Kind::topic;
      out.topic = std::string(topic);
    }
  } else if (key.starts_with(kPartitions)) {
    const auto rest = key.substr(kPartitions.size());
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return out;
    const auto topic = rest.substr(0, slash);
    const auto p = parse_id(rest.substr(slash + 1));
    if (p && protocol::valid_topic_name(topic)) {
      out.kind = ClusterKey::Kind::partition;
      out.topic = std::string(topic);
      out.partition = *p;
    }
  }
  return out;
}

}  // namespace strata::cluster
