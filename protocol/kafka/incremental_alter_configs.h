// IncrementalAlterConfigs (key 44), versions 0-1; v1 is flexible (compact
// fields, tagged fields, request header v2, response header v1). Each
// config names an operation: only the named keys change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/kafka/api_table.h"
#include "protocol/kafka/config_resource.h"
#include "protocol/kafka/reader.h"
#include "protocol/base/result.h"

namespace strata::kafka {

// Kafka's AlterConfigOp.OpType. append/subtract apply to list-valued
// configs, of which strata's topics have none (answered INVALID_CONFIG).
enum class ConfigOperation : std::int8_t { set = 0, remove = 1, append = 2, subtract = 3 };

struct IncrementalConfig {
  std::string name;
  std::int8_t operation = 0;  // a ConfigOperation; other values get INVALID_REQUEST
  std::optional<std::string> value;
  bool operator==(const IncrementalConfig&) const = default;
};
struct IncrementalAlterConfigsResource {
  std::int8_t resource_type = 0;
  std::string resource_name;
  std::vector<IncrementalConfig> configs;
  bool operator==(const IncrementalAlterConfigsResource&) const = default;
};
struct IncrementalAlterConfigsRequest {
  static constexpr ApiKey kKey = ApiKey::incremental_alter_configs;
  static constexpr std::int16_t kMinVersion = 0;
  static constexpr std::int16_t kMaxVersion = 1;

  std::vector<IncrementalAlterConfigsResource> resources;
  bool validate_only = false;
  bool operator==(const IncrementalAlterConfigsRequest&) const = default;

  [[nodiscard]] static Result<IncrementalAlterConfigsRequest> decode(Bytes body, std::int16_t version);
};

}  // namespace strata::kafka
