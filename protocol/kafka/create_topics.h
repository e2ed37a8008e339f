// CreateTopics (key 19), versions 0-4, all classic. NumPartitions -1 (v4+)
// means the broker's default; ReplicationFactor -1 likewise. Manual
// assignments are decoded so they can be refused with
// INVALID_REPLICA_ASSIGNMENT rather than ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/kafka/api_table.h"
#include "protocol/kafka/error_code.h"
#include "protocol/kafka/reader.h"
#include "protocol/kafka/writer.h"
#include "protocol/base/result.h"

namespace strata::kafka {

// A (name, value) config pair of CreateTopics and AlterConfigs; a null value
// means "unset" (the default).
struct ConfigEntry {
  std::string name;
  std::optional<std::string> value;
  bool operator==(const ConfigEntry&) const = default;
};
[[nodiscard]] ConfigEntry read_config_entry(Reader& r);

struct ReplicaAssignment {
  std::int32_t partition = 0;
  std::vector<std::int32_t> broker_ids;
  bool operator==(const ReplicaAssignment&) const = default;
};
struct CreatableTopic {
  std::string name;
  std::int32_t num_partitions = -1;
  std::int16_t replication_factor = -1;
  std::vector<ReplicaAssignment> assignments;
  std::vector<ConfigEntry> configs;
  bool operator==(const CreatableTopic&) const = default;
};
struct CreateTopicsRequest {
  static constexpr ApiKey kKey = ApiKey::create_topics;
  static constexpr std::int16_t kMinVersion = 0;
  static constexpr std::int16_t kMaxVersion = 4;

  std::vector<CreatableTopic> topics;
  std::int32_t timeout_ms = 0;
  bool validate_only = false;  // v1+
  bool operator==(const CreateTopicsRequest&) const = default;

  [[nodiscard]] static Result<CreateTopicsRequest> decode(Bytes body, std::int16_t version);
};

struct CreateTopicResult {
  std::string name;
  KafkaError error = KafkaError::none;
  std::optional<std::string> error_message;  // v1+
};
struct CreateTopicsResponse {
  std::int32_t throttle_time_ms = 0;  // v2+
  std::vector<CreateTopicResult> topics;

  void encode(Writer& w, std::int16_t version) const;
};

}  // namespace strata::kafka
