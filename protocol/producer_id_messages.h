// InitProducerId (API 9, version 0): the broker allocates idempotent
// producer ids and epochs (DESIGN decision 11), so ids are unique across
// producers and broker restarts, and a producer that comes back with its id
// gets a newer epoch that fences its old instance at every partition.
// decode() leaves the reader failed (r.ok() == false) on malformed input.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/error_code.h"
#include "protocol/frame.h"

namespace strata::protocol {

// producer_id -1 (and epoch -1): a new id. An id with its current epoch:
// the same id with the next epoch.
struct InitProducerIdRequest {
  std::int64_t producer_id = -1;
  std::int16_t producer_epoch = -1;
  void encode(ByteWriter& w) const;
  static InitProducerIdRequest decode(ByteReader& r);
};

struct InitProducerIdResponse {
  ErrorCode error = ErrorCode::none;
  std::string message;
  std::int64_t producer_id = -1;
  std::int16_t producer_epoch = -1;
  void encode(ByteWriter& w) const;
  static InitProducerIdResponse decode(ByteReader& r);
};

}  // namespace strata::protocol
