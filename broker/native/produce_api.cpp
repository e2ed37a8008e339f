// Produce (API 1): decode, the service's produce (core/produce.h), encode.
#include "broker/core/produce.h"
#include "broker/native/request_handlers.h"
#include "broker/ops/metrics.h"
#include "protocol/data_messages.h"

namespace strata::broker {

namespace {

AckLevel ack_level(protocol::Acks acks) {
  switch (acks) {
    case protocol::Acks::none: return AckLevel::none;
    case protocol::Acks::leader: return AckLevel::leader;
    case protocol::Acks::durable: return AckLevel::durable;
  }
  return AckLevel::leader;
}

}  // namespace

awaitable<Response> produce_api(ApiRequest r) {
  auto request = decode_body<protocol::ProduceRequest>(r.body());
  if (!request) co_return invalid_request(r.header.correlation_id, "malformed Produce request");
  std::vector<ProduceTarget> targets;
  for (const auto& t : request->topics) {
    if (t.partitions.empty()) (void)co_await find_or_create_topic(r.broker, t.name);
    for (const auto& part : t.partitions) {
      // The batch stays in the frame, which outlives the call.
      targets.push_back({t.name, part.partition, protocol::mutable_view(r.frame, part.batch)});
    }
  }
  ProduceOutcome outcome = co_await produce(r.broker, std::move(targets), ack_level(request->acks));

  protocol::ProduceResponse response;
  std::size_t i = 0;
  for (const auto& t : request->topics) {
    protocol::ProduceTopicResult& out = response.topics.emplace_back();
    out.name = t.name;
    for (std::size_t n = 0; n < t.partitions.size(); ++n, ++i) {
      ProduceResult& result = outcome.results[i];
      protocol::ProducePartitionResult& wire = out.partitions.emplace_back();
      wire.partition = result.partition;
      wire.error = native::to_wire(result.error);
      wire.base_offset = result.base_offset;
      wire.log_start = result.log_start;
      wire.message = std::move(result.message);
      count_error(protocol::ApiKey::produce, wire.error);
    }
  }
  Response out;
  if (request->acks == protocol::Acks::none) {
    out.send = false;
  } else {
    out = encode_response(r.header.correlation_id, response);
  }
  out.affinity = outcome.affinity;
  co_return out;
}

}  // namespace strata::broker
