// Fetch (API 2): decode, the service's fetch (core/fetch.h), encode the
// partitions' fixed parts with each one's segment slice after it, so the
// records go out with sendfile.
#include "broker/native/fetch_api.h"

#include "broker/core/fetch.h"
#include "broker/native/request_handlers.h"
#include "broker/ops/metrics.h"
#include "broker/runtime/logger.h"

namespace strata::broker {

using protocol::ErrorCode;

namespace {
// partition u32, error u16, log_start u64, log_end u64, records_length u32.
constexpr std::uint64_t kPartitionHeader = 4 + 2 + 8 + 8 + 4;
// size u32, correlation_id u32, error u16, topic count u32.
constexpr std::uint64_t kResponseHead = protocol::kFrameSizeBytes + 4 + 2 + 4;

// The largest Fetch response frame: max.frame.bytes, and never past what
// the frame's 32-bit size (read as signed by some clients) can say.
std::uint64_t fetch_frame_limit(const BrokerConfig& config) {
  return std::min<std::uint64_t>(config.max_frame_bytes, 0x7FFFFFFFu);
}

Response refused_frame(std::uint32_t correlation_id, std::string_view what) {
  Response refused = Response::frame(protocol::error_response_frame(correlation_id, ErrorCode::frame_too_large, what));
  refused.error = ErrorCode::frame_too_large;
  return refused;
}

// REQUIRES: the records fit frame_limit (the service's FetchBudget);
// checked again here, where the frame size is written, since a wrapped
// size desynchronises the client's stream.
Response encode_fetch(std::uint32_t correlation_id, const protocol::FetchRequest& request,
                      const std::vector<PartitionRead>& reads, std::uint64_t frame_limit) {
  Response response;
  protocol::ByteWriter w;
  protocol::begin_response(w, correlation_id);
  w.fixed(static_cast<std::uint32_t>(request.topics.size()));
  std::size_t i = 0;
  std::uint64_t total = 0;
  for (const auto& t : request.topics) {
    w.string(t.name);
    w.fixed(static_cast<std::uint32_t>(t.partitions.size()));
    for (std::size_t n = 0; n < t.partitions.size(); ++n, ++i) {
      const PartitionRead& read = reads[i];
      const protocol::FetchPartitionHeader header{read.partition, native::to_wire(read.error), read.log_start,
                                                  read.log_end};
      const auto length = static_cast<std::uint32_t>(read.slice.length);
      header.encode(w, length);
      if (length > 0) {
        total += w.size() + length;
        response.chunks.push_back({w.take(), read.slice});
        w = protocol::ByteWriter();
      }
    }
  }
  total += w.size();
  response.chunks.push_back({w.take(), {}});
  if (total > frame_limit) {
    log_error("a Fetch response of " + std::to_string(total) + " bytes passed the frame limit of " +
              std::to_string(frame_limit) + "; answered with an error instead");
    return refused_frame(correlation_id,
                         "the Fetch response would exceed the broker's frame limit: fetch fewer partitions per request");
  }
  protocol::store_le(response.chunks.front().bytes.data(),
                     static_cast<std::uint32_t>(total - protocol::kFrameSizeBytes));
  return response;
}

// Counts what a Fetch answers with, on the connection's shard: each
// partition's error, and records and bytes out per topic.
void count_fetched(const std::vector<FetchTarget>& targets, const std::vector<PartitionRead>& reads) {
  for (const auto& read : reads) count_error(protocol::ApiKey::fetch, native::to_wire(read.error));
  count_records_out(targets, reads);
}

}  // namespace

std::uint64_t fetch_response_overhead(const protocol::FetchRequest& request) noexcept {
  std::uint64_t total = kResponseHead;
  for (const auto& t : request.topics) total += 2 + t.name.size() + 4 + kPartitionHeader * t.partitions.size();
  return total;
}

awaitable<Response> fetch_api(ApiRequest r) {
  auto request = decode_body<protocol::FetchRequest>(r.body());
  if (!request) co_return invalid_request(r.header.correlation_id, "malformed Fetch request");
  std::vector<FetchTarget> targets;
  for (const auto& t : request->topics) {
    for (const auto& p : t.partitions) targets.push_back({t.name, p.partition, p.offset, p.max_bytes});
  }
  const FetchLimits limits{std::chrono::milliseconds(request->max_wait_ms), request->min_bytes, request->max_bytes,
                           fetch_response_overhead(*request), fetch_frame_limit(r.broker.config())};
  FetchOutcome outcome = co_await fetch(r.broker, std::move(targets), limits);
  if (!outcome.refused.ok()) co_return refused_frame(r.header.correlation_id, outcome.refused.message);
  count_fetched(outcome.targets, outcome.reads);
  Response response = encode_fetch(r.header.correlation_id, *request, outcome.reads, limits.frame_limit);
  response.affinity = outcome.affinity;
  co_return response;
}

}  // namespace strata::broker
