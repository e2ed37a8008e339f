#include "protocol/kafka/delete_topics.h"

#include "protocol/kafka/body_codec.h"

namespace strata::kafka {

Result<DeleteTopicsRequest> DeleteTopicsRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<DeleteTopicsRequest>(body, version, [](Reader& r, DeleteTopicsRequest& m) {
    m.topic_names = r.array<std::string>(2, [](Reader& tr) { return tr.string(); });
    m.timeout_ms = r.i32();
  });
}

void DeleteTopicsResponse::encode(Writer& w, std::int16_t version) const {
  if (version >= 1) w.i32(throttle_time_ms);
  w.array(topics, [](Writer& tw, const DeleteTopicResult& t) {
    tw.string(t.name);
    tw.i16(static_cast<std::int16_t>(t.error));
  });
}

}  // namespace strata::kafka
