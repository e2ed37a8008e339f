// Integration tests of how max.connections treats the connections it
// refuses, against a real strata-broker process: a refusal (which waits up
// to 1 s for a first request to answer) must not keep a place a client
// could be served in, and only a bounded number of refusals wait at once.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using protocol::ApiKey;
using protocol::ErrorCode;
using Clock = std::chrono::steady_clock;

// A connection the broker serves, waited for: the fixture's own probe may
// not have been counted out yet when the test starts.
std::unique_ptr<WireClient> served_client(BrokerFixture& f) {
  std::unique_ptr<WireClient> out;
  REQUIRE(eventually(
      [&] {
        auto c = std::make_unique<WireClient>(f.broker->port(), 3000ms);
        ResponseFrame r;
        const std::uint32_t id = c->send(ApiKey::api_versions, protocol::ApiVersionsRequest{});
        if (c->read_frame(r, 3000ms) != ReadOutcome::frame || r.header.correlation_id != id ||
            r.header.error != ErrorCode::none) {
          return false;
        }
        out = std::move(c);
        return true;
      },
      5000ms));
  return out;
}

TEST_CASE("max.connections: a connection being refused leaves the place of one that closed to the next client") {
  BrokerFixture f({"--max-connections", "1"});
  auto held = served_client(f);

  // Refused at accept, it now waits (up to 1 s) for a first request.
  WireClient refused(f.broker->port(), 3000ms);
  REQUIRE(f.broker->wait_for_log("refusing a connection", 5000ms));
  const auto refused_at = Clock::now();

  // The one place frees up: the next client gets it while the refusal is
  // still waiting. (When refusals counted towards the limit, every client
  // was turned away until the refusal's 1 s ran out.)
  held.reset();
  bool served = false;
  CHECK(eventually(
      [&] {
        WireClient c(f.broker->port(), 3000ms);
        ResponseFrame r;
        const std::uint32_t id = c.send(ApiKey::api_versions, protocol::ApiVersionsRequest{});
        served = c.read_frame(r, 3000ms) == ReadOutcome::frame && r.header.correlation_id == id &&
                 r.header.error == ErrorCode::none;
        return served;
      },
      700ms));
  const auto waited = Clock::now() - refused_at;
  MESSAGE((served ? "served " : "still refused ") << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()
                                                 << " ms after the refusal began");
  CHECK(served);
  CHECK(waited < 1000ms);

  // The refused connection still gets its clear answer.
  const auto frame = WireClient::request_frame(ApiKey::api_versions, 99, protocol::ApiVersionsRequest{});
  if (Clock::now() - refused_at < 900ms) {
    (void)refused.try_send_bytes(frame);
    ResponseFrame r;
    REQUIRE(refused.read_frame(r, 3000ms) == ReadOutcome::frame);
    CHECK(r.header.correlation_id == 99);
    CHECK(r.header.error == ErrorCode::too_many_connections);
  }
  CHECK(refused.wait_closed(3000ms));
}

TEST_CASE("max.connections: beyond 64 waiting refusals, new connections are closed at once") {
  BrokerFixture f({"--max-connections", "1"});
  auto held = served_client(f);

  // Silent connections: each refusal would wait 1 s for a first request.
  constexpr int kSilent = 64 + 16;
  const auto first_opened = Clock::now();
  std::vector<std::unique_ptr<WireClient>> silent;
  for (int i = 0; i < kSilent; ++i) silent.push_back(std::make_unique<WireClient>(f.broker->port(), 3000ms));

  // Those past the 64th are closed without waiting; the 64 wait their 1 s,
  // which began after first_opened, so none of them ends within 600 ms.
  int closed_early = 0;
  for (auto& c : silent) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(first_opened + 600ms - Clock::now());
    if (c->wait_closed(std::max(left, 1ms))) ++closed_early;
  }
  MESSAGE(closed_early << " of " << kSilent << " silent connections closed within 600 ms");
  CHECK(closed_early >= kSilent - 64);
  // A refusal of served_client()'s retries may still hold one of the 64.
  CHECK(closed_early <= kSilent - 64 + 2);
  for (auto& c : silent) CHECK(c->wait_closed(3000ms));

  // The served connection was never disturbed, and the log said why.
  CHECK(held->api_versions().apis.size() == 9);
  CHECK(f.broker->wait_for_log("refusing a connection", 1000ms));
}

}  // namespace
}  // namespace strata::it
