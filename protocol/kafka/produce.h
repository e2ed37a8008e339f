// Produce (key 0), versions 3-7, all classic. Records are RecordBatch v2
// bytes, viewed in the request buffer (not copied): the front door validates
// them with protocol/batch_validator.h like strata's own Produce. zstd
// batches are legal only from v7 (KIP-110); acks 0, 1, -1 are strata's
// none, leader, all.
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

inline constexpr std::int16_t kFirstZstdProduceVersion = 7;

struct ProducePartitionData {
  std::int32_t partition = 0;
  std::optional<Bytes> records;  // null records: a client bug, answered per partition
};
struct ProduceTopicData {
  std::string name;
  std::vector<ProducePartitionData> partitions;
};
struct ProduceRequest {
  static constexpr ApiKey kKey = ApiKey::produce;
  static constexpr std::int16_t kMinVersion = 3;
  static constexpr std::int16_t kMaxVersion = 7;

  std::optional<std::string> transactional_id;
  std::int16_t acks = -1;  // 0, 1 or -1; other values get INVALID_REQUIRED_ACKS
  std::int32_t timeout_ms = 0;
  std::vector<ProduceTopicData> topics;

  // The records views point into `body`, which must outlive the request.
  [[nodiscard]] static Result<ProduceRequest> decode(Bytes body, std::int16_t version);
};

struct ProducePartitionResponse {
  std::int32_t partition = 0;
  KafkaError error = KafkaError::none;
  std::int64_t base_offset = -1;
  std::int64_t log_append_time_ms = -1;  // -1 unless the topic uses LogAppendTime
  std::int64_t log_start_offset = -1;    // v5+
};
struct ProduceTopicResponse {
  std::string name;
  std::vector<ProducePartitionResponse> partitions;
};
struct ProduceResponse {
  std::vector<ProduceTopicResponse> topics;
  std::int32_t throttle_time_ms = 0;

  void encode(Writer& w, std::int16_t version) const;
};

}  // namespace strata::kafka
