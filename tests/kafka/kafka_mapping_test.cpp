// Topic configs between Kafka's requests and strata's schema
// (protocol/kafka/topic_configs.h).
#include <doctest/doctest.h>

#include <algorithm>

#include "protocol/kafka/topic_configs.h"

namespace strata::kafka::test {
namespace {

std::size_t visible_alterable() {
  const auto schema = protocol::topic_config_schema();
  return static_cast<std::size_t>(
      std::count_if(schema.begin(), schema.end(), [](const auto& s) { return kafka_visible(s) && s.alterable; }));
}

TEST_CASE("kafka topic configs: CreateTopics sets the named keys, checked against strata's schema") {
  const ConfigChanges ok = changes_for_create({{"retention.ms", "1000"}, {"message.timestamp.type", "LogAppendTime"},
                                               {"cleanup.policy", "delete"}});
  REQUIRE(ok.error == KafkaError::none);
  REQUIRE(ok.changes.size() == 2);
  CHECK(ok.changes[0].spec->key == "retention.ms");
  CHECK(ok.changes[0].value == 1000);
  CHECK(ok.changes[1].spec->key == "message.timestamp.type");
  CHECK(ok.changes[1].value == 1);

  const ConfigChanges unknown = changes_for_create({{"compression.type", "lz4"}});
  CHECK(unknown.error == KafkaError::invalid_config);
  CHECK(unknown.message.find("compression.type") != std::string::npos);
  CHECK(unknown.message.find("retention.ms") != std::string::npos);
  CHECK(unknown.message.find("partitions") == std::string::npos);

  CHECK(changes_for_create({{"partitions", "3"}}).error == KafkaError::invalid_config);
  const ConfigChanges compact = changes_for_create({{"cleanup.policy", "compact"}});
  CHECK(compact.error == KafkaError::invalid_config);
  CHECK(compact.message.find("compaction") != std::string::npos);
  CHECK(changes_for_create({{"retention.ms", "soon"}}).error == KafkaError::invalid_config);
  CHECK(changes_for_create({{"segment.bytes", "10"}}).error == KafkaError::invalid_config);
  CHECK(changes_for_create({{"retention.ms", std::nullopt}}).error == KafkaError::invalid_config);
  CHECK(changes_for_create({{"retention.ms", "1"}, {"retention.ms", "2"}}).error == KafkaError::invalid_request);
}

TEST_CASE("kafka topic configs: AlterConfigs replaces the set, so keys not named return to defaults") {
  const ConfigChanges c = changes_for_alter({{"retention.bytes", "4096"}});
  REQUIRE(c.error == KafkaError::none);
  CHECK(c.changes.size() == visible_alterable());
  std::size_t set = 0;
  for (const auto& ch : c.changes) {
    CHECK(ch.spec->key != "partitions");
    if (ch.value) {
      ++set;
      CHECK(ch.spec->key == "retention.bytes");
      CHECK(*ch.value == 4096);
    }
  }
  CHECK(set == 1);
  CHECK(changes_for_alter({{"nope", "1"}}).error == KafkaError::invalid_config);
}

TEST_CASE("kafka topic configs: IncrementalAlterConfigs sets and deletes the named keys only") {
  const ConfigChanges c = changes_for_incremental({{"retention.ms", 0, "5"}, {"segment.ms", 1, std::nullopt},
                                                   {"cleanup.policy", 1, std::nullopt}});
  REQUIRE(c.error == KafkaError::none);
  REQUIRE(c.changes.size() == 2);
  CHECK(c.changes[0].value == 5);
  CHECK(c.changes[1].spec->key == "segment.ms");
  CHECK_FALSE(c.changes[1].value.has_value());
  CHECK(changes_for_incremental({{"retention.ms", 2, "5"}}).error == KafkaError::invalid_config);
  CHECK(changes_for_incremental({{"retention.ms", 3, "5"}}).error == KafkaError::invalid_config);
  CHECK(changes_for_incremental({{"retention.ms", 9, "5"}}).error == KafkaError::invalid_request);
  CHECK(changes_for_incremental({{"nope", 1, std::nullopt}}).error == KafkaError::invalid_config);
}

TEST_CASE("kafka topic configs: DescribeConfigs shows every visible key and cleanup.policy, filtered by name") {
  const ConfigLookup lookup = [](const protocol::TopicConfigSpec& spec) {
    return spec.key == "retention.ms" ? std::pair<std::int64_t, bool>{1000, true}
                                      : std::pair<std::int64_t, bool>{spec.default_value, false};
  };
  const auto all = describe_topic_configs(lookup, std::nullopt, false);
  // Every key but partitions and replication.factor (CreateTopics fields in Kafka).
  CHECK(all.size() == protocol::topic_config_schema().size() - 2 + fixed_topic_configs().size());
  CHECK(std::none_of(all.begin(), all.end(), [](const auto& c) { return c.name == "replication.factor"; }));
  CHECK(std::any_of(all.begin(), all.end(), [](const auto& c) { return c.name == "min.insync.replicas"; }));
  const auto retention = std::find_if(all.begin(), all.end(), [](const auto& c) { return c.name == "retention.ms"; });
  REQUIRE(retention != all.end());
  CHECK(retention->value == "1000");
  CHECK(retention->source == ConfigSource::dynamic_topic_config);
  CHECK_FALSE(retention->is_default);
  CHECK(retention->synonyms.empty());
  CHECK(all.back().name == "cleanup.policy");
  CHECK(all.back().value == "delete");
  CHECK(all.back().read_only);

  const auto some = describe_topic_configs(lookup, std::vector<std::string>{"segment.bytes", "nope"}, true);
  REQUIRE(some.size() == 1);
  CHECK(some[0].is_default);
  CHECK(some[0].source == ConfigSource::default_config);
  REQUIRE(some[0].synonyms.size() == 1);
  CHECK(some[0].synonyms[0].value == some[0].value);
}

}  // namespace
}  // namespace strata::kafka::test
