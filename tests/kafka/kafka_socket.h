// Raw Kafka bytes over a loopback socket, for tests against a real broker's
// Kafka port: requests spelled out with Be (kafka_bytes.h), answers read as
// frames; every wait bounded.
#pragma once

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <vector>

#include "tests/kafka/kafka_bytes.h"

namespace strata::it {

using namespace std::chrono_literals;
using strata::kafka::test::Be;

// A blocking loopback socket speaking raw Kafka bytes; every wait bounded.
class KafkaSocket {
 public:
  explicit KafkaSocket(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  }
  ~KafkaSocket() { ::close(fd_); }
  KafkaSocket(const KafkaSocket&) = delete;
  KafkaSocket& operator=(const KafkaSocket&) = delete;

  bool send(protocol::Bytes b) { return ::send(fd_, b.data(), b.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(b.size()); }
  // One response frame (without its size), or nullopt on close or timeout.
  std::optional<std::vector<std::uint8_t>> read_frame(std::chrono::milliseconds timeout = 5000ms) {
    std::uint8_t size[4];
    if (!read_exact(size, 4, timeout)) return std::nullopt;
    const auto n = protocol::load_be<std::uint32_t>(size);
    if (n > (1u << 20)) return std::nullopt;
    std::vector<std::uint8_t> out(n);
    if (!read_exact(out.data(), n, timeout)) return std::nullopt;
    return out;
  }
  // True once the peer closed (EOF or reset) within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::uint8_t buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      if (::recv(fd_, buf, sizeof buf, 0) <= 0) return true;
    }
    return false;
  }

 private:
  bool read_exact(std::uint8_t* p, std::size_t n, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (n > 0 && std::chrono::steady_clock::now() < deadline) {
      pollfd pfd{fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 50) <= 0) continue;
      const ssize_t got = ::recv(fd_, p, n, 0);
      if (got <= 0) return false;
      p += got;
      n -= static_cast<std::size_t>(got);
    }
    return n == 0;
  }
  int fd_;
};

// A request frame: header v1 (null client id) and `body`.
inline std::vector<std::uint8_t> request(std::int16_t key, std::int16_t version, std::int32_t correlation,
                                  const std::vector<std::uint8_t>& body = {}) {
  Be b;
  b.i32(0).i16(key).i16(version).i32(correlation).null_str().raw(body).patch_frame_size();
  return b.bytes();
}

// ApiVersions v0 on `s`: the answer has the correlation id and error NONE.
inline void check_api_versions(KafkaSocket& s, std::int32_t correlation) {
  REQUIRE(s.send(request(18, 0, correlation)));
  const auto frame = s.read_frame();
  REQUIRE(frame.has_value());
  REQUIRE(frame->size() >= 6);
  CHECK(protocol::load_be<std::int32_t>(frame->data()) == correlation);
  CHECK(protocol::load_be<std::int16_t>(frame->data() + 4) == 0);
}

}  // namespace strata::it
