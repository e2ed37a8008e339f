#include "protocol/kafka/alter_configs.h"

#include "protocol/kafka/body_codec.h"

namespace strata::kafka {

Result<AlterConfigsRequest> AlterConfigsRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<AlterConfigsRequest>(body, version, [](Reader& r, AlterConfigsRequest& m) {
    m.resources = r.array<AlterConfigsResource>(7, [](Reader& rr) {
      AlterConfigsResource res;
      res.resource_type = rr.i8();
      res.resource_name = rr.string();
      res.configs = rr.array<ConfigEntry>(4, read_config_entry);
      return res;
    });
    m.validate_only = r.boolean();
  });
}

void AlterConfigsResponse::encode(Writer& w, std::int16_t /*version*/) const {
  w.i32(throttle_time_ms);
  w.array(resources, [](Writer& rw, const AlterConfigsResourceResponse& res) {
    rw.i16(static_cast<std::int16_t>(res.error));
    rw.nullable_string(res.error_message);
    rw.i8(res.resource_type);
    rw.string(res.resource_name);
    rw.end_struct();
  });
  w.end_struct();
}

}  // namespace strata::kafka
