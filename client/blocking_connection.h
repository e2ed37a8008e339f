// A connection whose replies are read by the thread that asked: call()
// writes a request and reads its response itself, so a reply reaches the
// caller without a hand-off from a reader thread (one wake-up and two
// futex calls fewer per request). The consumer's fetch loop uses one.
//
// Threads: one thread at a time. After a network error or a timeout the
// connection is broken (healthy() false) and the caller opens a new one.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "client/response_frame.h"
#include "client/socket_io.h"
#include "protocol/byte_writer.h"

namespace strata::client {

class BlockingConnection {
 public:
  // Connects to "HOST:PORT" within connect_timeout_ms; throws ClientError.
  BlockingConnection(const std::string& address, int connect_timeout_ms, std::string client_id);
  ~BlockingConnection();
  BlockingConnection(const BlockingConnection&) = delete;
  BlockingConnection& operator=(const BlockingConnection&) = delete;

  // Sends the request encode() writes and returns its response; throws
  // ClientError on a network error, after timeout_ms, or with the broker's
  // request-level error.
  ResponseFrame call(protocol::ApiKey api, const std::function<void(protocol::ByteWriter&)>& encode,
                     int timeout_ms);
  // call() in two halves, so one thread can have a request out on several
  // connections at once: send() writes it and returns its correlation id;
  // receive() reads its response by the deadline. REQUIRES: one request
  // out at a time (receive() before the next send()).
  std::uint32_t send(protocol::ApiKey api, const std::function<void(protocol::ByteWriter&)>& encode);
  ResponseFrame receive(protocol::ApiKey api, std::uint32_t id, std::chrono::steady_clock::time_point deadline,
                        int timeout_ms);

  [[nodiscard]] bool healthy() const noexcept { return !broken_; }
  // For poll(2): readable when the response has (begun to) come.
  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] const std::string& address() const noexcept { return address_; }

 private:
  [[noreturn]] void fail(const ClientError& error);

  int fd_;
  std::string address_;
  std::string client_id_;
  protocol::ByteWriter write_buffer_;
  FrameReader reader_;
  std::uint32_t next_correlation_ = 1;
  bool broken_ = false;
};

}  // namespace strata::client
