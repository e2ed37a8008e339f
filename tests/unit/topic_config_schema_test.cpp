// The topic-config schema (protocol/topic_config_schema.h) against the
// broker's TopicConfig: every key has a field, the defaults agree, the
// limits are storage's and the batch format's, and validation follows the
// table (issue 25 item 9: help offered -1 where the broker refused it).
#include <doctest/doctest.h>

#include <limits>

#include "broker/cluster/cluster_values.h"
#include "broker/core/topic_config.h"
#include "protocol/record_batch.h"
#include "protocol/topic_config_schema.h"

namespace strata::broker {

TEST_CASE("topic config schema: every key has a field and TopicConfig{} holds the schema's defaults") {
  const auto described = describe_topic_config(TopicConfig{});
  const auto schema = protocol::topic_config_schema();
  REQUIRE(described.size() == schema.size());
  for (std::size_t i = 0; i < schema.size(); ++i) {
    CAPTURE(schema[i].key);
    CHECK(described[i].key == schema[i].key);
    CHECK(described[i].value == protocol::format_topic_config(schema[i], schema[i].default_value));
  }
  CHECK(protocol::find_topic_config("segment.bytes")->max ==
        static_cast<std::int64_t>(storage::LogConfig::kMaxSegmentBytes));
  CHECK(protocol::find_topic_config("max.message.bytes")->max == static_cast<std::int64_t>(protocol::kMaxBatchBytes));
  CHECK(protocol::find_topic_config("replication.factor")->max == static_cast<std::int64_t>(cluster::kMaxReplicas));
  CHECK(protocol::find_topic_config("min.insync.replicas")->max == static_cast<std::int64_t>(cluster::kMaxReplicas));
}

TEST_CASE("topic config schema: the broker accepts exactly what the schema allows") {
  for (const auto& spec : protocol::topic_config_schema()) {
    CAPTURE(spec.key);
    TopicConfig c;
    // A choice is given by name: its first and last.
    const std::string min_text = protocol::format_topic_config(spec, spec.min);
    const std::string max_text = protocol::format_topic_config(spec, spec.max);
    CHECK_FALSE(set_topic_config(c, spec.key, min_text, true).has_value());
    CHECK_FALSE(set_topic_config(c, spec.key, max_text, true).has_value());
    CHECK(describe_topic_config(c)[static_cast<std::size_t>(&spec - protocol::topic_config_schema().data())].value ==
          max_text);
    const auto minus_one = set_topic_config(c, spec.key, "-1", true);
    CHECK(minus_one.has_value() == spec.minus_one.empty());
    if (spec.min > 0) {
      const auto below = set_topic_config(c, spec.key, std::to_string(spec.min - 1), true);
      REQUIRE(below.has_value());
      CHECK(*below == "invalid value '" + std::to_string(spec.min - 1) + "' for " + std::string(spec.key) +
                          ": expected " + protocol::allowed_values(spec));
    }
    if (spec.unit == protocol::TopicConfigSpec::Unit::choice) {
      // Names only, exactly as spelt: not the index, not another case.
      CHECK(set_topic_config(c, spec.key, std::to_string(spec.min), true).has_value());
      CHECK(set_topic_config(c, spec.key, "createtime", true).has_value());
    } else if (spec.max < std::numeric_limits<std::int64_t>::max()) {
      CHECK(set_topic_config(c, spec.key, std::to_string(spec.max + 1), true).has_value());
    }
    CHECK(set_topic_config(c, spec.key, "12x", true).has_value());
    CHECK(set_topic_config(c, spec.key, "", true).has_value());
  }
  TopicConfig c;
  CHECK(set_topic_config(c, "partitions", "3", false) == "partitions cannot be changed after a topic is created");
  const auto unknown = set_topic_config(c, "segment.byte", "1", false);
  REQUIRE(unknown.has_value());
  CHECK(unknown->find("known keys are partitions, retention.ms, ") != std::string::npos);
  // The two the issue found: no -1 for segment.bytes or max.message.bytes.
  CHECK(protocol::allowed_values(*protocol::find_topic_config("segment.bytes")) == "bytes from 1024 to 2147483648");
  CHECK(protocol::allowed_values(*protocol::find_topic_config("retention.ms")) ==
        "milliseconds >= 0, or -1 = keep forever");
  // Issue 23's keys: Kafka's names, defaults and meanings.
  CHECK(protocol::allowed_values(*protocol::find_topic_config("message.timestamp.type")) ==
        "one of CreateTime or LogAppendTime");
  CHECK_FALSE(set_topic_config(c, "message.timestamp.type", "LogAppendTime", false).has_value());
  CHECK(c.log.timestamp_type == storage::TimestampType::log_append_time);
  const auto bad_type = set_topic_config(c, "message.timestamp.type", "AppendTime", false);
  REQUIRE(bad_type.has_value());
  CHECK(*bad_type == "invalid value 'AppendTime' for message.timestamp.type: expected one of CreateTime or "
                     "LogAppendTime");
  CHECK(TopicConfig{}.log.timestamp_after_max_ms == 3'600'000);
  CHECK(TopicConfig{}.log.timestamp_before_max_ms == -1);
  CHECK(TopicConfig{}.log.segment_jitter_ms == 0);
  CHECK_FALSE(set_topic_config(c, "message.timestamp.before.max.ms", "9223372036854775807", false).has_value());
}

}  // namespace strata::broker
