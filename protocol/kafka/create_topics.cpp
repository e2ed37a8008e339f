#include "protocol/kafka/create_topics.h"

#include "protocol/kafka/body_codec.h"

namespace strata::kafka {

ConfigEntry read_config_entry(Reader& r) {
  ConfigEntry c;
  c.name = r.string();
  c.value = r.nullable_string();
  r.end_struct();
  return c;
}

Result<CreateTopicsRequest> CreateTopicsRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<CreateTopicsRequest>(body, version, [version](Reader& r, CreateTopicsRequest& m) {
    m.topics = r.array<CreatableTopic>(16, [](Reader& tr) {
      CreatableTopic t;
      t.name = tr.string();
      t.num_partitions = tr.i32();
      t.replication_factor = tr.i16();
      t.assignments = tr.array<ReplicaAssignment>(8, [](Reader& ar) {
        ReplicaAssignment a;
        a.partition = ar.i32();
        a.broker_ids = ar.array<std::int32_t>(4, [](Reader& ir) { return ir.i32(); });
        return a;
      });
      t.configs = tr.array<ConfigEntry>(4, read_config_entry);
      return t;
    });
    m.timeout_ms = r.i32();
    if (version >= 1) m.validate_only = r.boolean();
  });
}

void CreateTopicsResponse::encode(Writer& w, std::int16_t version) const {
  if (version >= 2) w.i32(throttle_time_ms);
  w.array(topics, [version](Writer& tw, const CreateTopicResult& t) {
    tw.string(t.name);
    tw.i16(static_cast<std::int16_t>(t.error));
    if (version >= 1) tw.nullable_string(t.error_message);
  });
}

}  // namespace strata::kafka
