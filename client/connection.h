// One TCP connection to a broker, shared by any number of threads, with
// pipelining: requests are written in call order and responses matched to
// them in that order by a reader thread (PROTOCOL.md: responses come back
// in request order). acks=none produce requests expect no response.
//
// Threads: request() may be called from any thread; callbacks run on the
// connection's reader thread and must not block for long. After a network
// error the connection is broken: pending requests fail with a network
// ClientError and healthy() is false; callers open a new one.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/client_error.h"
#include "client/response_frame.h"
#include "protocol/frame.h"

namespace strata::client {

class Connection {
 public:
  using Callback = std::function<void(ResponseFrame*, const ClientError*)>;

  // Connects to "HOST:PORT" (name or address), within timeout_ms.
  static std::shared_ptr<Connection> open(const std::string& address, int timeout_ms = 5000,
                                          std::string client_id = "strata-client");
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends a request whose body encode() writes. With a callback the reply
  // (or the error) is delivered to it; without, none is expected.
  void request(protocol::ApiKey api, const std::function<void(protocol::ByteWriter&)>& encode,
               Callback callback, std::uint16_t api_version = 0);
  // The same, waiting for the reply; throws ClientError (including a
  // request-level error from the response header) or on timeout.
  ResponseFrame call(protocol::ApiKey api, const std::function<void(protocol::ByteWriter&)>& encode,
                     int timeout_ms = 30000, std::uint16_t api_version = 0);

  [[nodiscard]] bool healthy() const noexcept { return !broken_.load(); }
  [[nodiscard]] const std::string& address() const noexcept { return address_; }
  void close();

 private:
  Connection(int fd, std::string address, std::string client_id);
  void read_loop();
  void fail_all(const ClientError& error);

  int fd_;
  std::string address_;
  std::string client_id_;
  std::mutex write_mu_;  // orders writes and the pending queue together
  // Reused for every request under write_mu_, so encoding a large produce
  // request does not grow (and page-fault) a fresh buffer each time.
  protocol::ByteWriter write_buffer_;
  std::mutex pending_mu_;
  std::deque<std::pair<std::uint32_t, Callback>> pending_;
  std::uint32_t next_correlation_ = 1;
  std::atomic<bool> broken_{false};
  std::thread reader_;
};

}  // namespace strata::client
