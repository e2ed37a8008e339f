// The Kafka front door's handlers, one file per API (as native/ is for
// strata's protocol): each gets its decoded request, calls the service in
// core/ with domain types, maps Errc with to_kafka_error (kafka_errors.h)
// and encodes Kafka's response. Run on the connection's shard; admin calls
// go to shard 0 (on_admin). Ownership: KafkaCall::frame is the request
// frame, kept valid and untouched by the caller until the handler's
// awaitable completes (Produce validates and stamps batches in place).
#pragma once

#include <cstdint>

#include "broker/core/broker.h"
#include "broker/kafka/kafka_codec.h"
#include "broker/kafka/kafka_errors.h"
#include "broker/net/response.h"
#include "broker/runtime/asio.h"
#include "protocol/kafka/request.h"

namespace strata::broker::kafka {

namespace wire = strata::kafka;

// One request on its way to a handler.
struct KafkaCall {
  Broker& broker;
  const KafkaCodec& codec;
  const wire::ApiVersionRange& api;
  std::int16_t version = 0;
  std::int32_t correlation_id = 0;
  protocol::MutableBytes frame;  // the whole request (without its size)
};

// The response frame for a response struct of the call's API and version.
template <typename Message>
[[nodiscard]] Response kafka_frame(const KafkaCall& call, const Message& m) {
  return Response::frame(wire::encode_response(call.correlation_id, call.api, call.version, m));
}

[[nodiscard]] inline wire::KafkaError error_for(const KafkaCall& call, Errc code) noexcept {
  return to_kafka_error(code, call.api.key);
}

// Runs an admin call (not yet started) on shard 0, where topics are created
// and producer ids allocated; resumes on the caller's shard.
awaitable<Status> on_admin(Broker& broker, awaitable<Status> op);

awaitable<Response> produce_api(KafkaCall call, wire::ProduceRequest request);
awaitable<Response> fetch_api(KafkaCall call, wire::FetchRequest request);
awaitable<Response> list_offsets_api(KafkaCall call, wire::ListOffsetsRequest request);
awaitable<Response> metadata_api(KafkaCall call, wire::MetadataRequest request);
awaitable<Response> create_topics_api(KafkaCall call, wire::CreateTopicsRequest request);
awaitable<Response> delete_topics_api(KafkaCall call, wire::DeleteTopicsRequest request);
awaitable<Response> describe_configs_api(KafkaCall call, wire::DescribeConfigsRequest request);
awaitable<Response> alter_configs_api(KafkaCall call, wire::AlterConfigsRequest request);
awaitable<Response> incremental_alter_configs_api(KafkaCall call, wire::IncrementalAlterConfigsRequest request);
awaitable<Response> init_producer_id_api(KafkaCall call, wire::InitProducerIdRequest request);
awaitable<Response> find_coordinator_api(KafkaCall call, wire::FindCoordinatorRequest request);

}  // namespace strata::broker::kafka
