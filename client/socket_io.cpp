#include "client/socket_io.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "client/client_error.h"

namespace strata::client {

namespace {

// A produce request carries up to 8 MiB of batches (producer.cpp).
constexpr std::size_t kKeptWriteBufferBytes = 16u << 20;
// Bytes of a response frame allocated before its buffer grows geometrically.
constexpr std::size_t kFirstChunkBytes = 1u << 20;

// "HOST:PORT", "[V6]:PORT" -> host (without brackets) and port.
std::pair<std::string, std::string> split_address(const std::string& address) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    throw ClientError::usage("broker address '" + address + "' is not HOST:PORT (an IPv6 address goes in brackets: "
                             "[::1]:9392)");
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    throw ClientError::usage("broker address '" + address + "': put an IPv6 address in brackets, as in [::1]:9392");
  }
  return {host, address.substr(colon + 1)};
}

// One address of the bootstrap list: a connected blocking socket, or the
// reason it failed (in `error`) and -1.
int connect_one(const std::string& address, int timeout_ms, std::string& error) {
  auto [host, port] = split_address(address);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    error = "cannot resolve broker " + address + ": " + ::gai_strerror(rc);
    return -1;
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
  error = "cannot connect to broker at " + address + ": " + last_error;
  return -1;
}

}  // namespace

int connect_to(const std::string& address, int timeout_ms) {
  // A bootstrap list: the first address that answers.
  std::string errors;
  std::size_t start = 0;
  for (int n = 0; n < 1000 && start <= address.size(); ++n) {
    const auto comma = address.find(',', start);
    const std::string one = address.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? address.size() + 1 : comma + 1;
    if (one.empty()) continue;
    std::string error;
    if (const int fd = connect_one(one, timeout_ms, error); fd >= 0) return fd;
    errors += (errors.empty() ? "" : "; ") + error;
  }
  if (errors.empty()) throw ClientError::usage("broker address '" + address + "' names no HOST:PORT");
  throw ClientError::network(errors + " (is strata-broker running there? set --broker or STRATA_BROKER)");
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

void encode_request(protocol::ByteWriter& w, protocol::ApiKey api, std::uint32_t correlation_id,
                    const std::string& client_id, const std::function<void(protocol::ByteWriter&)>& encode,
                    std::uint16_t api_version) {
  if (w.buffer().capacity() > kKeptWriteBufferBytes) w.buffer() = {};
  w.buffer().clear();
  protocol::begin_request(w, {api, api_version, correlation_id, client_id});
  encode(w);
  protocol::finish_frame(w);
}

ClientError request_timed_out(protocol::ApiKey api, const std::string& address, int timeout_ms) {
  return ClientError::timeout(std::string(protocol::api_name(api)) + " to " + address + " timed out after " +
                              std::to_string(timeout_ms) + " ms");
}

ClientError connection_lost(const std::string& address, bool answered) {
  if (answered) return ClientError::network("lost the connection to broker " + address);
  return ClientError::network("broker " + address +
                              " closed the connection before answering anything on it; if its log says "
                              "'refused ... at max.connections', close idle connections or retry later");
}

bool FrameReader::bound_receive(std::chrono::steady_clock::duration left) {
  const auto left_us = std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::microseconds>(left).count());
  // Kept while it can neither outlast the deadline by more than a 20th
  // (plus 1 ms) nor end before half of it: a poll loop that asks the same
  // timeout each time costs no setsockopt.
  if (timeout_us_ != 0 && timeout_us_ <= left_us + left_us / 20 + 1000 && timeout_us_ >= left_us / 2) return true;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(left_us / 1'000'000);
  tv.tv_usec = static_cast<suseconds_t>(left_us % 1'000'000);
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) return false;
  timeout_us_ = left_us;
  return true;
}

FrameReader::Status FrameReader::receive(std::uint8_t* p, std::size_t n, std::size_t& got,
                                         const std::optional<std::chrono::steady_clock::time_point>& deadline) {
  for (;;) {
    if (deadline) {
      const auto left = *deadline - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) return Status::timed_out;
      if (!bound_receive(left)) return Status::closed;
    }
    const ssize_t r = ::recv(fd_, p, n, 0);
    if (r > 0) {
      got = static_cast<std::size_t>(r);
      return Status::frame;
    }
    if (r < 0 && errno == EINTR) continue;
    // The receive timeout ran out: the loop checks the deadline again.
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && deadline) continue;
    return Status::closed;
  }
}

FrameReader::Status FrameReader::fill(const std::optional<std::chrono::steady_clock::time_point>& deadline) {
  if (begin_ == end_) begin_ = end_ = 0;
  if (end_ == staging_.size()) {  // keep the unread tail, at the front
    std::memmove(staging_.data(), staging_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  std::size_t got = 0;
  const Status s = receive(staging_.data() + end_, staging_.size() - end_, got, deadline);
  end_ += got;
  return s;
}

FrameReader::Status FrameReader::read_into(std::uint8_t* p, std::size_t n,
                                           const std::optional<std::chrono::steady_clock::time_point>& deadline) {
  const std::size_t staged = std::min(n, end_ - begin_);
  std::memcpy(p, staging_.data() + begin_, staged);
  begin_ += staged;
  p += staged;
  n -= staged;
  // The rest of a large frame goes straight to its place, not via staging.
  while (n > 0) {
    std::size_t got = 0;
    if (const Status s = receive(p, n, got, deadline); s != Status::frame) return s;
    p += got;
    n -= got;
  }
  return Status::frame;
}

FrameReader::Status FrameReader::next(ResponseFrame& out,
                                      std::optional<std::chrono::steady_clock::time_point> deadline) {
  while (end_ - begin_ < protocol::kFrameSizeBytes) {
    if (const Status s = fill(deadline); s != Status::frame) return s;
  }
  const std::uint32_t size = protocol::read_frame_size(staging_.data() + begin_);
  if (protocol::check_frame_size(size, protocol::kMinResponseFrame, 1u << 31) != protocol::ErrorCode::none) {
    return Status::malformed;
  }
  begin_ += protocol::kFrameSizeBytes;
  // The buffer grows with the bytes that arrive, not to the announced size
  // (up to 2 GiB): a broker that announces much and sends little must not
  // make the client allocate it.
  out.bytes.clear();
  while (out.bytes.size() < size) {
    const std::size_t have = out.bytes.size();
    const std::size_t step = std::min<std::size_t>(size - have, std::max(have, kFirstChunkBytes));
    out.bytes.resize(have + step);
    if (const Status s = read_into(out.bytes.data() + have, step, deadline); s != Status::frame) return s;
  }
  protocol::ByteReader r(out.bytes);
  out.header = protocol::read_response_header(r);
  out.body_at = static_cast<std::size_t>(r.position() - out.bytes.data());
  return Status::frame;
}

}  // namespace strata::client
