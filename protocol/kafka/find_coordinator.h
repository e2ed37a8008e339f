// FindCoordinator (key 10), versions 0-2, classic. Until consumer groups
// exist strata answers COORDINATOR_NOT_AVAILABLE (node -1, empty host, port
// -1): a retriable error, so a consumer that only assign()s keeps consuming.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/kafka/api_table.h"
#include "protocol/kafka/error_code.h"
#include "protocol/kafka/reader.h"
#include "protocol/kafka/writer.h"
#include "protocol/base/result.h"

namespace strata::kafka {

struct FindCoordinatorRequest {
  static constexpr ApiKey kKey = ApiKey::find_coordinator;
  static constexpr std::int16_t kMinVersion = 0;
  static constexpr std::int16_t kMaxVersion = 2;

  std::string key;           // the group id (or transactional id)
  std::int8_t key_type = 0;  // v1+: 0 group, 1 transaction
  bool operator==(const FindCoordinatorRequest&) const = default;

  [[nodiscard]] static Result<FindCoordinatorRequest> decode(Bytes body, std::int16_t version);
};

struct FindCoordinatorResponse {
  std::int32_t throttle_time_ms = 0;  // v1+
  KafkaError error = KafkaError::coordinator_not_available;
  std::optional<std::string> error_message;  // v1+
  std::int32_t node_id = -1;
  std::string host;
  std::int32_t port = -1;

  void encode(Writer& w, std::int16_t version) const;
};

}  // namespace strata::kafka
