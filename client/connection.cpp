#include "client/connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "client/socket_io.h"

namespace strata::client {

std::shared_ptr<Connection> Connection::open(const std::string& address, int timeout_ms, std::string client_id) {
  const int fd = connect_to(address, timeout_ms);
  std::shared_ptr<Connection> c(new Connection(fd, address, std::move(client_id)));
  return c;
}

Connection::Connection(int fd, std::string address, std::string client_id)
    : fd_(fd), address_(std::move(address)), client_id_(std::move(client_id)) {
  reader_ = std::thread([this] { read_loop(); });
}

Connection::~Connection() {
  close();
  if (reader_.joinable()) reader_.join();
  ::close(fd_);
}

void Connection::close() {
  if (!broken_.exchange(true)) ::shutdown(fd_, SHUT_RDWR);
}

void Connection::request(protocol::ApiKey api, const std::function<void(protocol::ByteWriter&)>& encode,
                         Callback callback, std::uint16_t api_version) {
  std::lock_guard write_lock(write_mu_);
  protocol::ByteWriter& w = write_buffer_;
  const std::uint32_t id = next_correlation_++;
  encode_request(w, api, id, client_id_, encode, api_version);
  {
    // broken_ is set before the reader fails the queue, so a request either
    // joins the queue in time to be failed with it or sees broken_ here.
    std::unique_lock lock(pending_mu_);
    if (broken_.load()) {
      lock.unlock();
      if (callback) {
        const auto e = ClientError::network("connection to " + address_ + " is closed");
        callback(nullptr, &e);
      }
      return;
    }
    if (callback) pending_.emplace_back(id, std::move(callback));
  }
  if (!write_all(fd_, w.buffer().data(), w.size())) {
    close();
    fail_all(ClientError::network("lost the connection to broker " + address_ + ": " + std::strerror(errno)));
  }
}

ResponseFrame Connection::call(protocol::ApiKey api, const std::function<void(protocol::ByteWriter&)>& encode,
                               int timeout_ms, std::uint16_t api_version) {
  auto promise = std::make_shared<std::promise<ResponseFrame>>();
  auto future = promise->get_future();
  request(
      api, encode,
      [promise](ResponseFrame* frame, const ClientError* error) {
        if (error) {
          promise->set_exception(std::make_exception_ptr(*error));
        } else {
          promise->set_value(std::move(*frame));
        }
      },
      api_version);
  if (future.wait_for(std::chrono::milliseconds(timeout_ms)) != std::future_status::ready) {
    close();  // the reply can no longer be matched reliably
    throw request_timed_out(api, address_, timeout_ms);
  }
  ResponseFrame frame = future.get();
  throw_if_request_failed(frame);
  return frame;
}

void Connection::fail_all(const ClientError& error) {
  std::deque<std::pair<std::uint32_t, Callback>> pending;
  {
    std::lock_guard lock(pending_mu_);
    pending.swap(pending_);
  }
  for (auto& [id, cb] : pending) cb(nullptr, &error);
}

void Connection::read_loop() {
  FrameReader reader(fd_);
  bool answered = false;
  for (;;) {
    ResponseFrame frame;
    if (reader.next(frame) != FrameReader::Status::frame) break;
    answered = true;  // the broker spoke on it, even if out of step
    Callback cb;
    {
      std::lock_guard lock(pending_mu_);
      if (pending_.empty() || pending_.front().first != frame.header.correlation_id) break;  // out of step
      cb = std::move(pending_.front().second);
      pending_.pop_front();
    }
    cb(&frame, nullptr);
  }
  broken_.store(true);
  fail_all(connection_lost(address_, answered));
}

}  // namespace strata::client
