// The APIs of a front door, one row each: key, supported versions, handler.
// Dispatch and ApiVersions both read the table (DESIGN decision 12), so an
// API is added in one place and a version range is stated once.
//
// Threads: a table is built before the broker serves and only read after.
#pragma once

#include <cstdint>
#include <vector>

#include "broker/runtime/asio.h"
#include "broker/net/response.h"
#include "protocol/admin_messages.h"
#include "protocol/frame.h"

namespace strata::broker {

class Broker;
class ApiTable;

// One request on its way to a handler. Ownership as for handle_request
// (request_handlers.h): `frame` stays valid until the handler completes.
struct ApiRequest {
  Broker& broker;
  const ApiTable& table;
  protocol::RequestHeader header;
  protocol::MutableBytes frame;  // the whole request (Produce stamps batches inside it)
  std::size_t body_at = 0;       // where the body starts in `frame`

  [[nodiscard]] protocol::Bytes body() const noexcept { return protocol::Bytes(frame.subspan(body_at)); }
};

// A plain function, not a lambda: GCC 12 miscompiles coroutine lambdas.
using ApiHandler = awaitable<Response> (*)(ApiRequest);

struct ApiEntry {
  std::uint16_t key = 0;
  std::uint16_t min_version = 0;
  std::uint16_t max_version = 0;
  ApiHandler handler = nullptr;
};

class ApiTable {
 public:
  // Adds a row, replacing one with the same key. REQUIRES: min <= max, a handler.
  void add(const ApiEntry& entry);
  [[nodiscard]] const ApiEntry* find(std::uint16_t key) const noexcept;
  // Every row, by key: the body of ApiVersions.
  [[nodiscard]] std::vector<protocol::ApiVersionRange> versions() const;

 private:
  std::vector<ApiEntry> entries_;  // sorted by key
};

// strata's own protocol (protocol/PROTOCOL.md).
[[nodiscard]] const ApiTable& strata_api_table();

}  // namespace strata::broker
