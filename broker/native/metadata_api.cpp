// Metadata (API 4): every partition's ends and size, for the topics named
// (none named: every topic, and those being deleted).
#include "broker/core/topic_queries.h"
#include "broker/native/request_handlers.h"
#include "broker/ops/metrics.h"

namespace strata::broker {

awaitable<Response> metadata_api(ApiRequest r) {
  auto request = decode_body<protocol::MetadataRequest>(r.body());
  if (!request) co_return invalid_request(r.header.correlation_id, "malformed Metadata request");
  if (request->topics.empty()) request->topics = topic_names(r.broker);
  protocol::MetadataResponse m;
  for (const auto& name : request->topics) {
    TopicStats stats = co_await describe_topic(r.broker, name);
    protocol::TopicMetadata& t = m.topics.emplace_back();
    t.name = std::move(stats.name);
    t.error = native::to_wire(stats.error);
    for (const auto& p : stats.partitions) {
      t.partitions.push_back({p.partition, native::to_wire(p.error), p.log_start, p.log_end, p.size_bytes});
    }
    count_error(protocol::ApiKey::metadata, t.error);
  }
  co_return encode_response(r.header.correlation_id, m);
}

}  // namespace strata::broker
