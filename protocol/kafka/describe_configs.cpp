#include "protocol/kafka/describe_configs.h"

#include "protocol/kafka/body_codec.h"

namespace strata::kafka {

Result<DescribeConfigsRequest> DescribeConfigsRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<DescribeConfigsRequest>(body, version, [version](Reader& r, DescribeConfigsRequest& m) {
    m.resources = r.array<DescribeConfigsResource>(7, [](Reader& rr) {
      DescribeConfigsResource res;
      res.resource_type = rr.i8();
      res.resource_name = rr.string();
      res.configuration_keys = rr.nullable_array<std::string>(2, [](Reader& kr) { return kr.string(); });
      return res;
    });
    if (version >= 1) m.include_synonyms = r.boolean();
  });
}

void DescribeConfigsResponse::encode(Writer& w, std::int16_t version) const {
  w.i32(throttle_time_ms);
  w.array(results, [version](Writer& rw, const DescribeConfigsResult& res) {
    rw.i16(static_cast<std::int16_t>(res.error));
    rw.nullable_string(res.error_message);
    rw.i8(res.resource_type);
    rw.string(res.resource_name);
    rw.array(res.configs, [version](Writer& cw, const DescribedConfig& c) {
      cw.string(c.name);
      cw.nullable_string(c.value);
      cw.boolean(c.read_only);
      if (version == 0) cw.boolean(c.is_default);
      if (version >= 1) cw.i8(static_cast<std::int8_t>(c.source));
      cw.boolean(c.is_sensitive);
      if (version >= 1) {
        cw.array(c.synonyms, [](Writer& sw, const ConfigSynonym& s) {
          sw.string(s.name);
          sw.nullable_string(s.value);
          sw.i8(static_cast<std::int8_t>(s.source));
        });
      }
    });
  });
}

}  // namespace strata::kafka
