// Produce (Kafka key 0, v3-7): Kafka's acks and compression rules
// (protocol/kafka/semantics.h), then the service's produce (core/produce.h)
// with the batches where they lie in the request frame.
#include "broker/core/produce.h"
#include "broker/kafka/kafka_handlers.h"
#include "protocol/kafka/semantics.h"
#include "protocol/record_batch.h"

namespace strata::broker::kafka {

namespace {

AckLevel ack_level(protocol::Acks acks) {
  switch (acks) {
    case protocol::Acks::none: return AckLevel::none;
    case protocol::Acks::leader: return AckLevel::leader;
    case protocol::Acks::durable: return AckLevel::durable;  // standalone: `all` is `durable`
  }
  return AckLevel::durable;
}

// A partition's error before the service is asked, or NONE.
wire::KafkaError precheck(const KafkaCall& call, const wire::ProduceRequest& request,
                          const wire::ProducePartitionData& part) {
  if (request.transactional_id) return wire::KafkaError::transactional_id_authorization_failed;
  if (!wire::strata_acks(request.acks)) return wire::KafkaError::invalid_required_acks;
  if (part.partition < 0) return wire::KafkaError::unknown_topic_or_partition;
  if (!part.records || part.records->empty()) return wire::KafkaError::corrupt_message;
  // A header that does not decode is the service's to refuse (corrupt_batch).
  auto header = protocol::decode_header(*part.records);
  if (header) return wire::produce_compression_check(call.version, header.value().compression());
  return wire::KafkaError::none;
}

}  // namespace

awaitable<Response> produce_api(KafkaCall call, wire::ProduceRequest request) {
  // Each partition's answer; those refused here never reach the service.
  std::vector<wire::ProduceTopicResponse> answers;
  std::vector<ProduceTarget> targets;
  std::vector<wire::ProducePartitionResponse*> pending;  // answers[..] awaiting targets[i]
  for (const auto& t : request.topics) {
    answers.push_back({t.name, {}});
    answers.back().partitions.reserve(t.partitions.size());
  }
  for (std::size_t ti = 0; ti < request.topics.size(); ++ti) {
    for (const auto& part : request.topics[ti].partitions) {
      auto& out = answers[ti].partitions.emplace_back();
      out.partition = part.partition;
      out.error = precheck(call, request, part);
      if (out.error != wire::KafkaError::none) continue;
      // The records view points into the frame, which outlives the call.
      targets.push_back({request.topics[ti].name, static_cast<std::uint32_t>(part.partition),
                         protocol::mutable_view(call.frame, *part.records)});
      pending.push_back(&out);
    }
  }
  const auto acks = wire::strata_acks(request.acks).value_or(protocol::Acks::durable);
  ProduceOutcome outcome;
  if (!targets.empty()) outcome = co_await produce(call.broker, std::move(targets), ack_level(acks));
  for (std::size_t i = 0; i < pending.size(); ++i) {
    const ProduceResult& result = outcome.results[i];
    pending[i]->error = error_for(call, result.error);
    if (result.error == Errc::none) {
      pending[i]->base_offset = static_cast<std::int64_t>(result.base_offset);
      pending[i]->log_start_offset = static_cast<std::int64_t>(result.log_start);
    }
  }
  Response out;
  if (request.acks == 0) {
    out.send = false;
  } else {
    wire::ProduceResponse response;
    response.topics = std::move(answers);
    out = kafka_frame(call, response);
  }
  out.affinity = outcome.affinity;
  co_return out;
}

}  // namespace strata::broker::kafka
