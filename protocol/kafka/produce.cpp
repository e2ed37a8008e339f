#include "protocol/kafka/produce.h"

#include "protocol/kafka/body_codec.h"

namespace strata::kafka {

Result<ProduceRequest> ProduceRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<ProduceRequest>(body, version, [](Reader& r, ProduceRequest& m) {
    m.transactional_id = r.nullable_string();
    m.acks = r.i16();
    m.timeout_ms = r.i32();
    m.topics = r.array<ProduceTopicData>(6, [](Reader& tr) {
      ProduceTopicData t;
      t.name = tr.string();
      t.partitions = tr.array<ProducePartitionData>(8, [](Reader& pr) {
        ProducePartitionData p;
        p.partition = pr.i32();
        p.records = pr.nullable_bytes();
        return p;
      });
      return t;
    });
  });
}

void ProduceResponse::encode(Writer& w, std::int16_t version) const {
  w.array(topics, [version](Writer& tw, const ProduceTopicResponse& t) {
    tw.string(t.name);
    tw.array(t.partitions, [version](Writer& pw, const ProducePartitionResponse& p) {
      pw.i32(p.partition);
      pw.i16(static_cast<std::int16_t>(p.error));
      pw.i64(p.base_offset);
      pw.i64(p.log_append_time_ms);
      if (version >= 5) pw.i64(p.log_start_offset);
    });
  });
  w.i32(throttle_time_ms);
}

}  // namespace strata::kafka
