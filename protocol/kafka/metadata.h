// Metadata (key 3), versions 1-6, all classic. Names every broker by its
// advertised, reachable Kafka address and each partition's leader. A null
// topic list (v1+) asks for every topic; an empty one for none.
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

struct MetadataRequest {
  static constexpr ApiKey kKey = ApiKey::metadata;
  static constexpr std::int16_t kMinVersion = 1;
  static constexpr std::int16_t kMaxVersion = 6;

  std::optional<std::vector<std::string>> topics;  // null: all topics
  bool allow_auto_topic_creation = true;           // v4+ (earlier versions: true)
  bool operator==(const MetadataRequest&) const = default;

  [[nodiscard]] static Result<MetadataRequest> decode(Bytes body, std::int16_t version);
};

struct MetadataBroker {
  std::int32_t node_id = 0;
  std::string host;
  std::int32_t port = 0;
  std::optional<std::string> rack;  // v1+
};
struct MetadataPartition {
  KafkaError error = KafkaError::none;
  std::int32_t partition = 0;
  std::int32_t leader = -1;
  std::vector<std::int32_t> replicas;
  std::vector<std::int32_t> isr;
  std::vector<std::int32_t> offline_replicas;  // v5+
};
struct MetadataTopic {
  KafkaError error = KafkaError::none;
  std::string name;
  bool is_internal = false;  // v1+
  std::vector<MetadataPartition> partitions;
};
struct MetadataResponse {
  std::int32_t throttle_time_ms = 0;  // v3+
  std::vector<MetadataBroker> brokers;
  std::optional<std::string> cluster_id;  // v2+
  std::int32_t controller_id = -1;        // v1+
  std::vector<MetadataTopic> topics;

  void encode(Writer& w, std::int16_t version) const;
};

}  // namespace strata::kafka
