// The APIs a client calls before its data: ApiVersions (0), from the API
// table itself, and InitProducerId (9), on the admin shard.
#include "broker/native/request_handlers.h"
#include "protocol/producer_id_messages.h"

namespace strata::broker {

namespace {

// Runs on the admin shard, where ProducerIds lives.
awaitable<ProducerIdGrant> grant_producer_id(Broker& broker, ProducerIdentity current) {
  co_return broker.init_producer_id(current);
}

}  // namespace

awaitable<Response> api_versions_api(ApiRequest r) {
  if (!decode_body<protocol::ApiVersionsRequest>(r.body())) {
    co_return invalid_request(r.header.correlation_id, "malformed ApiVersions");
  }
  // Named locals, not temporaries in the co_return: GCC 12 mishandles
  // aggregate temporaries in coroutine expressions.
  protocol::ApiVersionsResponse versions;
  versions.apis = r.table.versions();
  Response out = encode_response(r.header.correlation_id, versions);
  co_return out;
}

awaitable<Response> init_producer_id_api(ApiRequest r) {
  auto req = decode_body<protocol::InitProducerIdRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed InitProducerId request");
  const ProducerIdentity current{req->producer_id, req->producer_epoch};
  ProducerIdGrant grant = co_await asio::co_spawn(r.broker.shard(0).context(), grant_producer_id(r.broker, current),
                                                  asio::use_awaitable);
  protocol::InitProducerIdResponse answer;
  answer.error = native::to_wire(grant.status.code);
  answer.message = std::move(grant.status.message);
  answer.producer_id = grant.identity.id;
  answer.producer_epoch = grant.identity.epoch;
  co_return encode_response(r.header.correlation_id, answer);
}

}  // namespace strata::broker
