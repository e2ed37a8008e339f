// Blocking socket plumbing shared by the client's connections: connecting
// with a deadline, writing whole buffers, and reading response frames
// through a staging buffer so that small frames cost one recv(2) each,
// not two (size prefix, then body).
//
// Threads: a FrameReader belongs to the one thread that reads its socket.
#pragma once

#include <cstdint>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/client_error.h"
#include "client/response_frame.h"
#include "protocol/byte_writer.h"

namespace strata::client {

// Connects to "HOST:PORT" (a host name, an IPv4 address, or an IPv6 one
// in brackets: "[::1]:9392") within timeout_ms and returns a blocking
// socket with TCP_NODELAY; throws a usage or network ClientError. A
// comma-separated bootstrap list ("a:9392,b:9392") is tried in order, the
// first that answers used; the error then names why each failed.
int connect_to(const std::string& address, int timeout_ms);

// False when the socket failed (errno says why).
bool write_all(int fd, const std::uint8_t* p, std::size_t n);

// Replaces w's contents with a whole request frame whose body encode()
// writes. w is a buffer reused from request to request: it keeps the
// capacity of ordinary requests and gives back that of a rare huge one.
void encode_request(protocol::ByteWriter& w, protocol::ApiKey api, std::uint32_t correlation_id,
                    const std::string& client_id, const std::function<void(protocol::ByteWriter&)>& encode,
                    std::uint16_t api_version = 0);

// The error for a request to `address` that got no reply in timeout_ms.
[[nodiscard]] ClientError request_timed_out(protocol::ApiKey api, const std::string& address, int timeout_ms);
// The error for a connection to `address` the broker closed. answered:
// something was answered on it before; if not, the likely cause is a broker
// at max.connections with too many refusals in progress to answer this one.
[[nodiscard]] ClientError connection_lost(const std::string& address, bool answered);

class FrameReader {
 public:
  enum class Status { frame, closed, malformed, timed_out };

  explicit FrameReader(int fd) : fd_(fd) {}

  // Reads the next response frame into `out`. With a deadline, a frame
  // that has not arrived whole by then is timed_out, however its bytes
  // trickle in: before each recv the reader bounds it by the time left,
  // setting the socket's receive timeout (SO_RCVTIMEO) itself, so the
  // socket is the reader's to time. After anything but `frame` the stream
  // is out of step and the socket must be closed.
  Status next(ResponseFrame& out,
              std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

 private:
  // One recv of up to n bytes (got > 0 on `frame`), bounded by the deadline.
  Status receive(std::uint8_t* p, std::size_t n, std::size_t& got,
                 const std::optional<std::chrono::steady_clock::time_point>& deadline);
  // Sets SO_RCVTIMEO to about `left` unless the current one is close enough.
  bool bound_receive(std::chrono::steady_clock::duration left);
  // Receives once into the staging buffer after what it holds.
  Status fill(const std::optional<std::chrono::steady_clock::time_point>& deadline);
  Status read_into(std::uint8_t* p, std::size_t n,
                   const std::optional<std::chrono::steady_clock::time_point>& deadline);

  int fd_;
  std::vector<std::uint8_t> staging_ = std::vector<std::uint8_t>(64 * 1024);
  std::size_t begin_ = 0;  // unread bytes are staging_[begin_, end_)
  std::size_t end_ = 0;
  std::int64_t timeout_us_ = 0;  // SO_RCVTIMEO as last set; 0 = none
};

}  // namespace strata::client
