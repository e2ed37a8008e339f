#include "protocol/kafka/find_coordinator.h"

#include "protocol/kafka/body_codec.h"

namespace strata::kafka {

Result<FindCoordinatorRequest> FindCoordinatorRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<FindCoordinatorRequest>(body, version, [version](Reader& r, FindCoordinatorRequest& m) {
    m.key = r.string();
    if (version >= 1) m.key_type = r.i8();
  });
}

void FindCoordinatorResponse::encode(Writer& w, std::int16_t version) const {
  if (version >= 1) w.i32(throttle_time_ms);
  w.i16(static_cast<std::int16_t>(error));
  if (version >= 1) w.nullable_string(error_message);
  w.i32(node_id);
  w.string(host);
  w.i32(port);
}

}  // namespace strata::kafka
