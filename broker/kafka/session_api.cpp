// The calls a Kafka client makes around its data: InitProducerId (key 22,
// v0-1: ids from the same allocator as strata's own protocol, on shard 0)
// and FindCoordinator (key 10, v0-2: COORDINATOR_NOT_AVAILABLE until
// consumer groups exist, a retriable error, so a consumer that assign()s
// keeps consuming). Also on_admin, which every admin handler uses.
#include "broker/kafka/kafka_handlers.h"

namespace strata::broker::kafka {

namespace {

// Runs on the admin shard, where ProducerIds lives.
awaitable<ProducerIdGrant> grant_producer_id(Broker& broker) {
  const ProducerIdentity fresh;  // a new producer (InitProducerId v0-1 names none)
  ProducerIdGrant grant = broker.init_producer_id(fresh);
  co_return grant;
}

}  // namespace

awaitable<Status> on_admin(Broker& broker, awaitable<Status> op) {
  Status status = co_await asio::co_spawn(broker.shard(0).context(), std::move(op), asio::use_awaitable);
  co_return status;
}

awaitable<Response> init_producer_id_api(KafkaCall call, wire::InitProducerIdRequest request) {
  wire::InitProducerIdResponse response;
  if (request.transactional_id) {
    response.error = wire::KafkaError::transactional_id_authorization_failed;  // no transactions yet
    co_return kafka_frame(call, response);
  }
  ProducerIdGrant grant =
      co_await asio::co_spawn(call.broker.shard(0).context(), grant_producer_id(call.broker), asio::use_awaitable);
  response.error = error_for(call, grant.status.code);
  if (grant.status.ok()) {
    response.producer_id = grant.identity.id;
    response.producer_epoch = grant.identity.epoch;
  }
  co_return kafka_frame(call, response);
}

awaitable<Response> find_coordinator_api(KafkaCall call, wire::FindCoordinatorRequest) {
  const wire::FindCoordinatorResponse response;  // COORDINATOR_NOT_AVAILABLE
  co_return kafka_frame(call, response);
}

}  // namespace strata::broker::kafka
