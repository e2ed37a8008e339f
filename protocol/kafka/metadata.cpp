#include "protocol/kafka/metadata.h"

#include "protocol/kafka/body_codec.h"

namespace strata::kafka {

Result<MetadataRequest> MetadataRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<MetadataRequest>(body, version, [version](Reader& r, MetadataRequest& m) {
    m.topics = r.nullable_array<std::string>(2, [](Reader& tr) { return tr.string(); });
    if (version >= 4) m.allow_auto_topic_creation = r.boolean();
  });
}

namespace {
void write_int32s(Writer& w, const std::vector<std::int32_t>& v) {
  w.array(v, [](Writer& out, std::int32_t x) { out.i32(x); });
}
}  // namespace

void MetadataResponse::encode(Writer& w, std::int16_t version) const {
  if (version >= 3) w.i32(throttle_time_ms);
  w.array(brokers, [](Writer& bw, const MetadataBroker& b) {
    bw.i32(b.node_id);
    bw.string(b.host);
    bw.i32(b.port);
    bw.nullable_string(b.rack);
  });
  if (version >= 2) w.nullable_string(cluster_id);
  w.i32(controller_id);
  w.array(topics, [version](Writer& tw, const MetadataTopic& t) {
    tw.i16(static_cast<std::int16_t>(t.error));
    tw.string(t.name);
    tw.boolean(t.is_internal);
    tw.array(t.partitions, [version](Writer& pw, const MetadataPartition& p) {
      pw.i16(static_cast<std::int16_t>(p.error));
      pw.i32(p.partition);
      pw.i32(p.leader);
      write_int32s(pw, p.replicas);
      write_int32s(pw, p.isr);
      if (version >= 5) write_int32s(pw, p.offline_replicas);
    });
  });
}

}  // namespace strata::kafka
