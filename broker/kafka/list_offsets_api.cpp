// ListOffsets (Kafka key 2, v1-3): each partition's offset for a time, or
// its ends (-1 latest: the high watermark, the log end in standalone; -2
// earliest: the log start), from the service's list_offset.
#include "broker/core/topic_queries.h"
#include "broker/kafka/kafka_handlers.h"

namespace strata::broker::kafka {

// Kafka's special timestamps are the service's.
static_assert(wire::kLatestTimestamp == kLatestTimestamp && wire::kEarliestTimestamp == kEarliestTimestamp);

awaitable<Response> list_offsets_api(KafkaCall call, wire::ListOffsetsRequest request) {
  wire::ListOffsetsResponse response;
  for (const auto& t : request.topics) {
    auto& topic = response.topics.emplace_back();
    topic.name = t.name;
    for (const auto& p : t.partitions) {
      auto& out = topic.partitions.emplace_back();
      out.partition = p.partition;
      if (p.partition < 0) {
        out.error = wire::KafkaError::unknown_topic_or_partition;
        continue;
      }
      const OffsetLookup found =
          co_await list_offset(call.broker, t.name, static_cast<std::uint32_t>(p.partition), p.timestamp);
      out.error = error_for(call, found.error);
      out.offset = found.offset;
    }
  }
  co_return kafka_frame(call, response);
}

}  // namespace strata::broker::kafka
