// strata's own protocol as an adapter of the service (DESIGN decision 12):
// each handler decodes its request, calls the service (core/) with domain
// types, maps the service's errors to wire codes (wire_errors.h) and
// encodes the answer. One file per API, named after it. Runs on the
// connection's shard; the service moves partition work to the owning
// shards, admin work to shard 0. Ownership: the caller owns the frame's bytes and keeps them
// valid, and touches them not, until the returned awaitable completes
// (produced batches are validated and stamped in place inside them, and the
// owning shard appends from there); the response owns no part of them.
#pragma once

#include <cstdint>
#include <vector>

#include "broker/native/api_table.h"
#include "broker/runtime/asio.h"
#include "broker/core/broker.h"
#include "broker/native/wire_errors.h"
#include "broker/net/response.h"

namespace strata::broker {

// Dispatches through `table` (strata_api_table() for the broker's own
// protocol): an unknown key is UNSUPPORTED_API, a version outside the row's
// range UNSUPPORTED_VERSION, both answered in the response header.
awaitable<Response> handle_request(Broker& broker, protocol::MutableBytes frame,
                                   const ApiTable& table = strata_api_table());

// One handler per API (the rows of strata_api_table()).
awaitable<Response> api_versions_api(ApiRequest r);
awaitable<Response> metadata_api(ApiRequest r);
awaitable<Response> create_topic_api(ApiRequest r);
awaitable<Response> delete_topic_api(ApiRequest r);
awaitable<Response> describe_configs_api(ApiRequest r);
awaitable<Response> alter_configs_api(ApiRequest r);
awaitable<Response> describe_retention_api(ApiRequest r);
awaitable<Response> init_producer_id_api(ApiRequest r);
awaitable<Response> produce_api(ApiRequest r);
awaitable<Response> fetch_api(ApiRequest r);
awaitable<Response> list_offsets_api(ApiRequest r);

// A request whose body did not decode: answered, then the connection closes.
[[nodiscard]] Response invalid_request(std::uint32_t correlation_id, std::string_view what);

// A request refused as a whole with `code` (the connection stays open).
[[nodiscard]] Response request_error(std::uint32_t correlation_id, protocol::ErrorCode code, std::string_view what);

// Runs an admin operation (not yet started) on shard 0, where topics are
// created and ids allocated, counts its error and encodes its answer as a
// StatusResponse. `r` outlives the call (the handler awaits it).
awaitable<Response> status_on_admin(const ApiRequest& r, awaitable<Status> op);

// Decodes a whole body; nullopt if it is malformed or has bytes left over.
template <typename Message>
[[nodiscard]] std::optional<Message> decode_body(protocol::Bytes body) {
  protocol::ByteReader r(body);
  Message m = Message::decode(r);
  if (!r.ok() || r.remaining() != 0) return std::nullopt;
  return m;
}

// Encodes header + body into one frame.
template <typename Message>
[[nodiscard]] Response encode_response(std::uint32_t correlation_id, const Message& m) {
  protocol::ByteWriter w;
  protocol::begin_response(w, correlation_id);
  m.encode(w);
  protocol::finish_frame(w);
  return Response::frame(w.take());
}

}  // namespace strata::broker
