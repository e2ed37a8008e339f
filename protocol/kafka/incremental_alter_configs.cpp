#include "protocol/kafka/incremental_alter_configs.h"

#include "protocol/kafka/body_codec.h"

namespace strata::kafka {

Result<IncrementalAlterConfigsRequest> IncrementalAlterConfigsRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<IncrementalAlterConfigsRequest>(body, version, [](Reader& r, IncrementalAlterConfigsRequest& m) {
    m.resources = r.array<IncrementalAlterConfigsResource>(7, [](Reader& rr) {
      IncrementalAlterConfigsResource res;
      res.resource_type = rr.i8();
      res.resource_name = rr.string();
      res.configs = rr.array<IncrementalConfig>(5, [](Reader& cr) {
        IncrementalConfig c;
        c.name = cr.string();
        c.operation = cr.i8();
        c.value = cr.nullable_string();
        cr.end_struct();
        return c;
      });
      rr.end_struct();
      return res;
    });
    m.validate_only = r.boolean();
  });
}

}  // namespace strata::kafka
