#include "protocol/kafka/init_producer_id.h"

#include "protocol/kafka/body_codec.h"

namespace strata::kafka {

Result<InitProducerIdRequest> InitProducerIdRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<InitProducerIdRequest>(body, version, [](Reader& r, InitProducerIdRequest& m) {
    m.transactional_id = r.nullable_string();
    m.transaction_timeout_ms = r.i32();
  });
}

void InitProducerIdResponse::encode(Writer& w, std::int16_t /*version*/) const {
  w.i32(throttle_time_ms);
  w.i16(static_cast<std::int16_t>(error));
  w.i64(producer_id);
  w.i16(producer_epoch);
}

}  // namespace strata::kafka
