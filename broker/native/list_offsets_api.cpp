// ListOffsets (API 3): each partition's offset for a time, or its ends.
#include "broker/core/topic_queries.h"
#include "broker/native/request_handlers.h"
#include "broker/ops/metrics.h"
#include "protocol/data_messages.h"

namespace strata::broker {

// The wire's special timestamps are the service's.
static_assert(protocol::kLatestTimestamp == kLatestTimestamp && protocol::kEarliestTimestamp == kEarliestTimestamp &&
              protocol::kNoOffset == kNoOffset);

awaitable<Response> list_offsets_api(ApiRequest r) {
  auto request = decode_body<protocol::ListOffsetsRequest>(r.body());
  if (!request) co_return invalid_request(r.header.correlation_id, "malformed ListOffsets request");
  protocol::ListOffsetsResponse response;
  for (const auto& t : request->topics) {
    auto& out = response.topics.emplace_back();
    out.name = t.name;
    for (const auto& p : t.partitions) {
      const OffsetLookup found = co_await list_offset(r.broker, t.name, p.partition, p.timestamp);
      const protocol::ListOffsetsPartitionResult result{found.partition, native::to_wire(found.error), found.offset};
      count_error(protocol::ApiKey::list_offsets, result.error);
      out.partitions.push_back(result);
    }
  }
  co_return encode_response(r.header.correlation_id, response);
}

}  // namespace strata::broker
