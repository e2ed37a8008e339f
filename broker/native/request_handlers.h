// Turns one request frame into its response. Runs on the connection's
// shard; partition work is co_spawned on the owning shards, admin work on
// shard 0. Ownership: the caller owns the frame's bytes and keeps them
// valid, and touches them not, until the returned awaitable completes
// (produced batches are validated and stamped in place inside them, and the
// owning shard appends from there); the response owns no part of them.
#pragma once

#include <cstdint>
#include <vector>

#include "broker/native/api_table.h"
#include "broker/runtime/asio.h"
#include "broker/core/broker.h"
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

// The data handlers behind produce_api, fetch_api and list_offsets_api;
// `body` views the request body inside `frame`.
awaitable<Response> handle_produce(Broker& broker, protocol::RequestHeader header, protocol::MutableBytes frame,
                                   std::size_t body_at);
awaitable<Response> handle_fetch(Broker& broker, protocol::RequestHeader header, protocol::Bytes body);
awaitable<Response> handle_list_offsets(Broker& broker, protocol::RequestHeader header, protocol::Bytes body);

// A request whose body did not decode: answered, then the connection closes.
[[nodiscard]] Response invalid_request(std::uint32_t correlation_id, std::string_view what);

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
