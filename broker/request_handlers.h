// Turns one request frame into its response. Runs on the connection's
// shard; partition work is co_spawned on the owning shards, admin work on
// shard 0. Ownership: the caller owns the frame's bytes and keeps them
// valid, and touches them not, until the returned awaitable completes
// (produced batches are validated and stamped in place inside them, and the
// owning shard appends from there); the response owns no part of them.
#pragma once

#include <cstdint>
#include <vector>

#include "broker/asio.h"
#include "broker/broker.h"
#include "broker/response.h"

namespace strata::broker {

awaitable<Response> handle_request(Broker& broker, protocol::MutableBytes frame);

// Per-API handlers; `body` views the request body inside `frame`.
awaitable<Response> handle_admin(Broker& broker, protocol::RequestHeader header, protocol::Bytes body);
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
