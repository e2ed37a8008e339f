// Kafka's config changes as the service's settings, and a topic's configs as
// Kafka sees them (broker/kafka/kafka_config_settings.h): "back to the
// default" means the broker's default for new topics, not the schema's.
#include <doctest/doctest.h>

#include <algorithm>

#include "broker/kafka/kafka_config_settings.h"

namespace strata::broker::kafka {
namespace {

std::string value_of(const std::vector<ConfigSetting>& settings, const std::string& key) {
  auto it = std::find_if(settings.begin(), settings.end(), [&](const ConfigSetting& s) { return s.key == key; });
  return it == settings.end() ? "(missing)" : it->value;
}

TopicConfig broker_defaults() {
  TopicConfig d;
  REQUIRE_FALSE(set_topic_config(d, "retention.ms", "3600000", false).has_value());
  return d;
}

TEST_CASE("kafka config settings: AlterConfigs returns unnamed keys to the broker's defaults for new topics") {
  const TopicConfig defaults = broker_defaults();
  const auto changes = strata::kafka::changes_for_alter({{"retention.bytes", "1048576"}});
  REQUIRE(changes.error == strata::kafka::KafkaError::none);
  const auto settings = settings_for(defaults, changes);
  CHECK(value_of(settings, "retention.bytes") == "1048576");
  CHECK(value_of(settings, "retention.ms") == "3600000");  // the broker's, not the schema's 604800000
  CHECK(value_of(settings, "partitions") == "(missing)");   // not a Kafka config
}

TEST_CASE("kafka config settings: IncrementalAlterConfigs changes the named keys only") {
  const auto changes = strata::kafka::changes_for_incremental({{"retention.ms", 1, std::nullopt}});  // DELETE
  REQUIRE(changes.error == strata::kafka::KafkaError::none);
  const auto settings = settings_for(broker_defaults(), changes);
  REQUIRE(settings.size() == 1);
  CHECK(settings[0] == ConfigSetting{"retention.ms", "3600000"});
}

TEST_CASE("kafka config settings: a value other than the broker's default shows as set on the topic") {
  const TopicConfig defaults = broker_defaults();
  TopicConfig topic = defaults;
  REQUIRE_FALSE(set_topic_config(topic, "retention.bytes", "1048576", false).has_value());
  const auto lookup = lookup_in(defaults, describe_topic_config(topic));
  const auto* bytes = protocol::find_topic_config("retention.bytes");
  const auto* ms = protocol::find_topic_config("retention.ms");
  REQUIRE((bytes != nullptr && ms != nullptr));
  CHECK(lookup(*bytes) == std::pair<std::int64_t, bool>{1048576, true});
  CHECK(lookup(*ms) == std::pair<std::int64_t, bool>{3600000, false});
}

}  // namespace
}  // namespace strata::broker::kafka
