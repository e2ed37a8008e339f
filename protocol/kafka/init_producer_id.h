// InitProducerId (key 22), versions 0-1, classic: the idempotent producer's
// id and epoch, allocated by the same allocator as strata's own protocol.
// A non-null transactional id is refused (no transactions yet).
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

struct InitProducerIdRequest {
  static constexpr ApiKey kKey = ApiKey::init_producer_id;
  static constexpr std::int16_t kMinVersion = 0;
  static constexpr std::int16_t kMaxVersion = 1;

  std::optional<std::string> transactional_id;
  std::int32_t transaction_timeout_ms = 0;
  bool operator==(const InitProducerIdRequest&) const = default;

  [[nodiscard]] static Result<InitProducerIdRequest> decode(Bytes body, std::int16_t version);
};

struct InitProducerIdResponse {
  std::int32_t throttle_time_ms = 0;
  KafkaError error = KafkaError::none;
  std::int64_t producer_id = -1;
  std::int16_t producer_epoch = -1;

  void encode(Writer& w, std::int16_t version) const;
};

}  // namespace strata::kafka
