// What DescribeConfigs, AlterConfigs and IncrementalAlterConfigs share: the
// resource types and config sources (Kafka's numbers), and the per-resource
// result both Alter APIs answer with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/kafka/error_code.h"
#include "protocol/kafka/writer.h"

namespace strata::kafka {

// Kafka's ConfigResource.Type: strata serves topic configs; broker configs
// are answered read-only or refused.
enum class ResourceType : std::int8_t { unknown = 0, topic = 2, broker = 4, broker_logger = 8 };

// Kafka's DescribeConfigsResponse ConfigSource (v1+).
enum class ConfigSource : std::int8_t {
  unknown = 0,
  dynamic_topic_config = 1,
  dynamic_broker_config = 2,
  dynamic_default_broker_config = 3,
  static_broker_config = 4,
  default_config = 5,
};

struct AlterConfigsResourceResponse {
  KafkaError error = KafkaError::none;
  std::optional<std::string> error_message;
  std::int8_t resource_type = static_cast<std::int8_t>(ResourceType::topic);
  std::string resource_name;
};

// The response of AlterConfigs (v0-1) and IncrementalAlterConfigs (v0-1,
// v1 flexible: w is in the version's form).
struct AlterConfigsResponse {
  std::int32_t throttle_time_ms = 0;
  std::vector<AlterConfigsResourceResponse> resources;

  void encode(Writer& w, std::int16_t version) const;
};
using IncrementalAlterConfigsResponse = AlterConfigsResponse;

}  // namespace strata::kafka
