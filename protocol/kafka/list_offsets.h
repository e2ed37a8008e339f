// ListOffsets (key 2), versions 1-3, all classic: an offset per partition
// for a timestamp, or -1 (latest: the high watermark) or -2 (earliest: the
// log start).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/kafka/api_table.h"
#include "protocol/kafka/error_code.h"
#include "protocol/kafka/reader.h"
#include "protocol/kafka/writer.h"
#include "protocol/base/result.h"

namespace strata::kafka {

inline constexpr std::int64_t kLatestTimestamp = -1;
inline constexpr std::int64_t kEarliestTimestamp = -2;

struct ListOffsetsPartitionRequest {
  std::int32_t partition = 0;
  std::int64_t timestamp = 0;
  bool operator==(const ListOffsetsPartitionRequest&) const = default;
};
struct ListOffsetsTopicRequest {
  std::string name;
  std::vector<ListOffsetsPartitionRequest> partitions;
  bool operator==(const ListOffsetsTopicRequest&) const = default;
};
struct ListOffsetsRequest {
  static constexpr ApiKey kKey = ApiKey::list_offsets;
  static constexpr std::int16_t kMinVersion = 1;
  static constexpr std::int16_t kMaxVersion = 3;

  std::int32_t replica_id = -1;
  std::int8_t isolation_level = 0;  // v2+
  std::vector<ListOffsetsTopicRequest> topics;
  bool operator==(const ListOffsetsRequest&) const = default;

  [[nodiscard]] static Result<ListOffsetsRequest> decode(Bytes body, std::int16_t version);
};

struct ListOffsetsPartitionResponse {
  std::int32_t partition = 0;
  KafkaError error = KafkaError::none;
  std::int64_t timestamp = -1;  // the found record's timestamp, -1 for latest/earliest
  std::int64_t offset = -1;
};
struct ListOffsetsTopicResponse {
  std::string name;
  std::vector<ListOffsetsPartitionResponse> partitions;
};
struct ListOffsetsResponse {
  std::int32_t throttle_time_ms = 0;  // v2+
  std::vector<ListOffsetsTopicResponse> topics;

  void encode(Writer& w, std::int16_t version) const;
};

}  // namespace strata::kafka
