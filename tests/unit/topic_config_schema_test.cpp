// The topic-config schema (protocol/topic_config_schema.h) against the
// broker's TopicConfig: every key has a field, the defaults agree, the
// limits are storage's and the batch format's, and validation follows the
// table (issue 25 item 9: help offered -1 where the broker refused it).
#include <doctest/doctest.h>

#include <limits>

#include "broker/topic_config.h"
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
    CHECK(described[i].value == std::to_string(schema[i].default_value));
  }
  CHECK(protocol::find_topic_config("segment.bytes")->max ==
        static_cast<std::int64_t>(storage::LogConfig::kMaxSegmentBytes));
  CHECK(protocol::find_topic_config("max.message.bytes")->max == static_cast<std::int64_t>(protocol::kMaxBatchBytes));
}

TEST_CASE("topic config schema: the broker accepts exactly what the schema allows") {
  for (const auto& spec : protocol::topic_config_schema()) {
    CAPTURE(spec.key);
    TopicConfig c;
    CHECK_FALSE(set_topic_config(c, spec.key, std::to_string(spec.min), true).has_value());
    CHECK_FALSE(set_topic_config(c, spec.key, std::to_string(spec.max), true).has_value());
    CHECK(describe_topic_config(c)[static_cast<std::size_t>(&spec - protocol::topic_config_schema().data())].value ==
          std::to_string(spec.max));
    const auto minus_one = set_topic_config(c, spec.key, "-1", true);
    CHECK(minus_one.has_value() == spec.minus_one.empty());
    if (spec.min > 0) {
      const auto below = set_topic_config(c, spec.key, std::to_string(spec.min - 1), true);
      REQUIRE(below.has_value());
      CHECK(*below == "invalid value '" + std::to_string(spec.min - 1) + "' for " + std::string(spec.key) +
                          ": expected " + protocol::allowed_values(spec));
    }
    if (spec.max < std::numeric_limits<std::int64_t>::max()) {
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
}

}  // namespace strata::broker
