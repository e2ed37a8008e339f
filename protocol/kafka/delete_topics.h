// DeleteTopics (key 20), versions 0-1, classic: topics by name.
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

struct DeleteTopicsRequest {
  static constexpr ApiKey kKey = ApiKey::delete_topics;
  static constexpr std::int16_t kMinVersion = 0;
  static constexpr std::int16_t kMaxVersion = 1;

  std::vector<std::string> topic_names;
  std::int32_t timeout_ms = 0;
  bool operator==(const DeleteTopicsRequest&) const = default;

  [[nodiscard]] static Result<DeleteTopicsRequest> decode(Bytes body, std::int16_t version);
};

struct DeleteTopicResult {
  std::string name;
  KafkaError error = KafkaError::none;
};
struct DeleteTopicsResponse {
  std::int32_t throttle_time_ms = 0;  // v1+
  std::vector<DeleteTopicResult> topics;

  void encode(Writer& w, std::int16_t version) const;
};

}  // namespace strata::kafka
