#include "protocol/kafka/list_offsets.h"

#include "protocol/kafka/body_codec.h"

namespace strata::kafka {

Result<ListOffsetsRequest> ListOffsetsRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<ListOffsetsRequest>(body, version, [version](Reader& r, ListOffsetsRequest& m) {
    m.replica_id = r.i32();
    if (version >= 2) m.isolation_level = r.i8();
    m.topics = r.array<ListOffsetsTopicRequest>(6, [](Reader& tr) {
      ListOffsetsTopicRequest t;
      t.name = tr.string();
      t.partitions = tr.array<ListOffsetsPartitionRequest>(12, [](Reader& pr) {
        ListOffsetsPartitionRequest p;
        p.partition = pr.i32();
        p.timestamp = pr.i64();
        return p;
      });
      return t;
    });
  });
}

void ListOffsetsResponse::encode(Writer& w, std::int16_t version) const {
  if (version >= 2) w.i32(throttle_time_ms);
  w.array(topics, [](Writer& tw, const ListOffsetsTopicResponse& t) {
    tw.string(t.name);
    tw.array(t.partitions, [](Writer& pw, const ListOffsetsPartitionResponse& p) {
      pw.i32(p.partition);
      pw.i16(static_cast<std::int16_t>(p.error));
      pw.i64(p.timestamp);
      pw.i64(p.offset);
    });
  });
}

}  // namespace strata::kafka
