// BlockingConnection (client/), and Connection where they share a failure:
// against a loopback listener that plays a broker which answers wrongly or
// not at all, every failure is a ClientError of the right kind and leaves
// the connection unhealthy.
// A unit test of a private class of the client library, by design: it
// includes client/ headers, which the integration and crash tests may not
// (tests/tools/public_headers_check.cmake).
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "client/blocking_connection.h"
#include "client/connection.h"

namespace strata::client {
namespace {

// Listens on 127.0.0.1 at an ephemeral port; `serve` gets the accepted socket.
class FakeBroker {
 public:
  template <typename Serve>
  explicit FakeBroker(Serve serve) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(listener_, 1) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    address_ = "127.0.0.1:" + std::to_string(ntohs(a.sin_port));
    thread_ = std::thread([this, serve] {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd >= 0) {
        serve(fd);
        ::close(fd);
      }
    });
  }
  ~FakeBroker() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  [[nodiscard]] const std::string& address() const { return address_; }

 private:
  int listener_;
  std::string address_;
  std::thread thread_;
};

// Reads one request frame (size prefix and body) off fd. Runs on the fake
// broker's thread: CHECK, not REQUIRE, which would terminate the binary there.
bool read_request(int fd) {
  std::uint8_t prefix[4];
  if (::recv(fd, prefix, sizeof prefix, MSG_WAITALL) != 4) {
    CHECK_MESSAGE(false, "no request prefix");
    return false;
  }
  std::vector<std::uint8_t> body(protocol::read_frame_size(prefix));
  const bool whole = ::recv(fd, body.data(), body.size(), MSG_WAITALL) == static_cast<ssize_t>(body.size());
  CHECK_MESSAGE(whole, "request body cut short");
  return whole;
}

const auto no_body = [](protocol::ByteWriter&) {};

// The ClientError a call throws; fails the test if the call returns.
ClientError call_error(BlockingConnection& c, int timeout_ms) {
  try {
    (void)c.call(protocol::ApiKey::metadata, no_body, timeout_ms);
  } catch (const ClientError& e) {
    return e;
  }
  FAIL("the call returned");
  return ClientError::usage("unreachable");
}

TEST_CASE("blocking connection: a broker that never answers times the call out") {
  FakeBroker broker([](int fd) {
    if (!read_request(fd)) return;
    std::uint8_t b;
    (void)::recv(fd, &b, 1, 0);  // until the client gives up and closes
  });
  BlockingConnection c(broker.address(), 2000, "test");
  const auto start = std::chrono::steady_clock::now();
  const ClientError e = call_error(c, 150);
  CHECK(e.kind() == ClientError::Kind::timeout);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(150));
  CHECK_FALSE(c.healthy());
}

TEST_CASE("blocking connection: an answer to another request breaks the connection") {
  FakeBroker broker([](int fd) {
    if (!read_request(fd)) return;
    protocol::ByteWriter w;
    protocol::begin_response(w, 77);  // the client's first request is 1
    protocol::finish_frame(w);
    CHECK(write_all(fd, w.buffer().data(), w.size()));
  });
  BlockingConnection c(broker.address(), 2000, "test");
  const ClientError e = call_error(c, 2000);
  CHECK(e.kind() == ClientError::Kind::network);
  CHECK(std::string(e.what()).find("answered request 1 with 77") != std::string::npos);
  CHECK_FALSE(c.healthy());
  CHECK_THROWS_AS((void)c.call(protocol::ApiKey::metadata, no_body, 100), ClientError);
}

TEST_CASE("blocking connection: a request-level error comes back as the broker's error, still healthy") {
  FakeBroker broker([](int fd) {
    if (!read_request(fd)) return;
    const auto frame = protocol::error_response_frame(1, protocol::ErrorCode::invalid_request, "bad request");
    CHECK(write_all(fd, frame.data(), frame.size()));
  });
  BlockingConnection c(broker.address(), 2000, "test");
  const ClientError e = call_error(c, 2000);
  CHECK(e.kind() == ClientError::Kind::broker);
  CHECK(e.code() == protocol::ErrorCode::invalid_request);
  CHECK(c.healthy());
}

TEST_CASE("blocking connection: the broker going away mid-call is a network error") {
  FakeBroker broker([](int fd) { (void)read_request(fd); });  // closes without answering
  BlockingConnection c(broker.address(), 2000, "test");
  const ClientError e = call_error(c, 2000);
  CHECK(e.kind() == ClientError::Kind::network);
  CHECK_FALSE(c.healthy());
}

bool mentions(const ClientError& e, const char* text) { return std::string(e.what()).find(text) != std::string::npos; }

TEST_CASE("blocking connection: closed before anything was answered, the error points at max.connections") {
  FakeBroker broker([](int fd) { (void)read_request(fd); });  // as a broker with too many refusals waiting does
  BlockingConnection c(broker.address(), 2000, "test");
  const ClientError e = call_error(c, 2000);
  CHECK(e.kind() == ClientError::Kind::network);
  CHECK(mentions(e, "before answering anything"));
  CHECK(mentions(e, "max.connections"));
}

TEST_CASE("blocking connection: closed after an answer, the error is a plain lost connection") {
  FakeBroker broker([](int fd) {
    if (!read_request(fd)) return;
    const auto frame = protocol::error_response_frame(1, protocol::ErrorCode::invalid_request, "bad request");
    CHECK(write_all(fd, frame.data(), frame.size()));
    (void)read_request(fd);  // the second, left unanswered
  });
  BlockingConnection c(broker.address(), 2000, "test");
  CHECK(call_error(c, 2000).kind() == ClientError::Kind::broker);
  const ClientError e = call_error(c, 2000);
  CHECK(e.kind() == ClientError::Kind::network);
  CHECK(mentions(e, "lost the connection"));
  CHECK_FALSE(mentions(e, "max.connections"));
}

TEST_CASE("connection: closed before anything was answered, the error points at max.connections") {
  FakeBroker broker([](int fd) { (void)read_request(fd); });
  auto c = Connection::open(broker.address(), 2000, "test");
  try {
    (void)c->call(protocol::ApiKey::metadata, no_body, 2000);
    FAIL("the call returned");
  } catch (const ClientError& e) {
    CHECK(e.kind() == ClientError::Kind::network);
    CHECK(mentions(e, "before answering anything"));
  }
  CHECK_FALSE(c->healthy());
}

}  // namespace
}  // namespace strata::client
