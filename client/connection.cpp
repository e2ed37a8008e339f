#include "client/connection.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace strata::client {

namespace {

// A produce request carries up to 8 MiB of batches (producer.cpp).
constexpr std::size_t kKeptWriteBufferBytes = 16u << 20;

std::pair<std::string, std::string> split_address(const std::string& address) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    throw ClientError::usage("broker address '" + address + "' is not HOST:PORT");
  }
  return {address.substr(0, colon), address.substr(colon + 1)};
}

// Connects with a deadline; returns the descriptor or throws.
int connect_to(const std::string& address, int timeout_ms) {
  auto [host, port] = split_address(address);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw ClientError::network("cannot resolve broker " + address + ": " + ::gai_strerror(rc));
  }
  std::string last_error = "no address";
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) continue;
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = ::poll(&p, 1, timeout_ms) == 1 ? 0 : -1;
      int err = ETIMEDOUT;
      socklen_t len = sizeof err;
      if (rc == 0 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
        rc = 0;
      } else {
        rc = -1;
        errno = err;
      }
    }
    if (rc == 0) {
      const int flags = 0;
      ::ioctl(fd, FIONBIO, &flags);  // back to blocking for the I/O threads
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      ::freeaddrinfo(found);
      return fd;
    }
    last_error = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  throw ClientError::network("cannot connect to broker at " + address + ": " + last_error +
                             " (is strata-broker running there? set --broker or STRATA_BROKER)");
}

bool write_all(int fd, const std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

bool read_all(int fd, std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    const ssize_t r = ::recv(fd, p, n, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

}  // namespace

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
                         Callback callback) {
  std::lock_guard write_lock(write_mu_);
  protocol::ByteWriter& w = write_buffer_;
  // Keep the capacity of ordinary requests; give back that of a rare huge one.
  if (w.buffer().capacity() > kKeptWriteBufferBytes) w.buffer() = {};
  w.buffer().clear();
  const std::uint32_t id = next_correlation_++;
  protocol::begin_request(w, {api, 0, id, client_id_});
  encode(w);
  protocol::finish_frame(w);
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
                               int timeout_ms) {
  auto promise = std::make_shared<std::promise<ResponseFrame>>();
  auto future = promise->get_future();
  request(api, encode, [promise](ResponseFrame* frame, const ClientError* error) {
    if (error) {
      promise->set_exception(std::make_exception_ptr(*error));
    } else {
      promise->set_value(std::move(*frame));
    }
  });
  if (future.wait_for(std::chrono::milliseconds(timeout_ms)) != std::future_status::ready) {
    close();  // the reply can no longer be matched reliably
    throw ClientError::timeout(std::string(protocol::api_name(api)) + " to " + address_ + " timed out after " +
                               std::to_string(timeout_ms) + " ms");
  }
  ResponseFrame frame = future.get();
  if (frame.header.error != protocol::ErrorCode::none) {
    protocol::ByteReader r(frame.body());
    throw ClientError::from_broker(frame.header.error, std::string(protocol::read_string(r)));
  }
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
  for (;;) {
    std::uint8_t prefix[protocol::kFrameSizeBytes];
    if (!read_all(fd_, prefix, sizeof prefix)) break;
    const std::uint32_t size = protocol::read_frame_size(prefix);
    if (protocol::check_frame_size(size, protocol::kMinResponseFrame, 1u << 31) != protocol::ErrorCode::none) {
      break;
    }
    ResponseFrame frame;
    frame.bytes.resize(size);
    if (!read_all(fd_, frame.bytes.data(), size)) break;
    protocol::ByteReader r(frame.bytes);
    frame.header = protocol::read_response_header(r);
    frame.body_at = static_cast<std::size_t>(r.position() - frame.bytes.data());
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
  fail_all(ClientError::network("lost the connection to broker " + address_));
}

}  // namespace strata::client
