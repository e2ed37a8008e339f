// DescribeConfigs (key 32), versions 0-2, classic. A null key list asks for
// every config of the resource. v0 carries IsDefault; v1+ ConfigSource and
// synonyms instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/kafka/api_table.h"
#include "protocol/kafka/config_resource.h"
#include "protocol/kafka/reader.h"
#include "protocol/kafka/writer.h"
#include "protocol/base/result.h"

namespace strata::kafka {

struct DescribeConfigsResource {
  std::int8_t resource_type = 0;
  std::string resource_name;
  std::optional<std::vector<std::string>> configuration_keys;  // null: all
  bool operator==(const DescribeConfigsResource&) const = default;
};
struct DescribeConfigsRequest {
  static constexpr ApiKey kKey = ApiKey::describe_configs;
  static constexpr std::int16_t kMinVersion = 0;
  static constexpr std::int16_t kMaxVersion = 2;

  std::vector<DescribeConfigsResource> resources;
  bool include_synonyms = false;  // v1+
  bool operator==(const DescribeConfigsRequest&) const = default;

  [[nodiscard]] static Result<DescribeConfigsRequest> decode(Bytes body, std::int16_t version);
};

struct ConfigSynonym {
  std::string name;
  std::optional<std::string> value;
  ConfigSource source = ConfigSource::default_config;
};
struct DescribedConfig {
  std::string name;
  std::optional<std::string> value;
  bool read_only = false;
  bool is_default = false;                             // v0 only
  ConfigSource source = ConfigSource::default_config;  // v1+
  bool is_sensitive = false;
  std::vector<ConfigSynonym> synonyms;  // v1+, only when asked for
};
struct DescribeConfigsResult {
  KafkaError error = KafkaError::none;
  std::optional<std::string> error_message;
  std::int8_t resource_type = static_cast<std::int8_t>(ResourceType::topic);
  std::string resource_name;
  std::vector<DescribedConfig> configs;
};
struct DescribeConfigsResponse {
  std::int32_t throttle_time_ms = 0;
  std::vector<DescribeConfigsResult> results;

  void encode(Writer& w, std::int16_t version) const;
};

}  // namespace strata::kafka
