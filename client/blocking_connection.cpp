#include "client/blocking_connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace strata::client {

BlockingConnection::BlockingConnection(const std::string& address, int connect_timeout_ms, std::string client_id)
    : fd_(connect_to(address, connect_timeout_ms)),
      address_(address),
      client_id_(std::move(client_id)),
      reader_(fd_) {}

BlockingConnection::~BlockingConnection() { ::close(fd_); }

void BlockingConnection::fail(const ClientError& error) {
  broken_ = true;
  ::shutdown(fd_, SHUT_RDWR);
  throw error;
}

ResponseFrame BlockingConnection::call(protocol::ApiKey api,
                                       const std::function<void(protocol::ByteWriter&)>& encode, int timeout_ms) {
  timeout_ms = std::max(timeout_ms, 1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  const std::uint32_t id = send(api, encode);
  return receive(api, id, deadline, timeout_ms);
}

std::uint32_t BlockingConnection::send(protocol::ApiKey api,
                                       const std::function<void(protocol::ByteWriter&)>& encode) {
  if (broken_) throw ClientError::network("connection to " + address_ + " is closed");
  const std::uint32_t id = next_correlation_++;
  encode_request(write_buffer_, api, id, client_id_, encode);
  if (!write_all(fd_, write_buffer_.buffer().data(), write_buffer_.size())) {
    fail(ClientError::network("lost the connection to broker " + address_ + ": " + std::strerror(errno)));
  }
  return id;
}

ResponseFrame BlockingConnection::receive(protocol::ApiKey api, std::uint32_t id,
                                          std::chrono::steady_clock::time_point deadline, int timeout_ms) {
  if (broken_) throw ClientError::network("connection to " + address_ + " is closed");
  ResponseFrame frame;
  switch (reader_.next(frame, deadline)) {
    case FrameReader::Status::frame: break;
    case FrameReader::Status::timed_out: fail(request_timed_out(api, address_, timeout_ms));
    // Every earlier call was answered, or broke the connection for good.
    case FrameReader::Status::closed: fail(connection_lost(address_, id > 1));
    case FrameReader::Status::malformed:
      fail(ClientError::network("broker " + address_ + " sent a response frame of impossible size"));
  }
  if (frame.header.correlation_id != id) {
    fail(ClientError::network("broker " + address_ + " answered request " + std::to_string(id) + " with " +
                              std::to_string(frame.header.correlation_id)));
  }
  throw_if_request_failed(frame);
  return frame;
}

}  // namespace strata::client
