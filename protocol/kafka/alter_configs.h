// AlterConfigs (key 33), versions 0-1, classic. Kafka's meaning: the given
// set replaces the resource's configs; keys not named return to defaults.
// The response type is shared with IncrementalAlterConfigs (config_resource.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/kafka/api_table.h"
#include "protocol/kafka/config_resource.h"
#include "protocol/kafka/create_topics.h"
#include "protocol/kafka/reader.h"
#include "protocol/base/result.h"

namespace strata::kafka {

struct AlterConfigsResource {
  std::int8_t resource_type = 0;
  std::string resource_name;
  std::vector<ConfigEntry> configs;
  bool operator==(const AlterConfigsResource&) const = default;
};
struct AlterConfigsRequest {
  static constexpr ApiKey kKey = ApiKey::alter_configs;
  static constexpr std::int16_t kMinVersion = 0;
  static constexpr std::int16_t kMaxVersion = 1;

  std::vector<AlterConfigsResource> resources;
  bool validate_only = false;
  bool operator==(const AlterConfigsRequest&) const = default;

  [[nodiscard]] static Result<AlterConfigsRequest> decode(Bytes body, std::int16_t version);
};

}  // namespace strata::kafka
