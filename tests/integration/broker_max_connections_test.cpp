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

// A connection the broker serves: the first of the test, so no limit applies yet.
std::unique_ptr<WireClient> served_client(BrokerFixture& f) {
  auto c = std::make_unique<WireClient>(f.broker->port(), 3000ms);
  ResponseFrame r;
  const std::uint32_t id = c->send(ApiKey::api_versions, protocol::ApiVersionsRequest{});
  REQUIRE(c->read_frame(r, 3000ms) == ReadOutcome::frame);
  REQUIRE(r.header.correlation_id == id);
  REQUIRE(r.header.error == ErrorCode::none);
  return c;
}

TEST_CASE("max.connections: a connection being refused leaves the place of one that closed to the next client") {
  BrokerFixture f({"--max-connections", "1"});
  auto held = served_client(f);

  // Refused at accept, it now waits (up to 1 s) for a first request.
  WireClient refused(f.broker->port(), 3000ms);
  REQUIRE(f.broker->wait_for_log("refused a connection", 5000ms));
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
  if (Clock::now() - refused_at < 500ms) {
    (void)refused.try_send_bytes(frame);
    ResponseFrame r;
    REQUIRE(refused.read_frame(r, 3000ms) == ReadOutcome::frame);
    CHECK(r.header.correlation_id == 99);
    CHECK(r.header.error == ErrorCode::too_many_connections);
  }
  CHECK(refused.wait_closed(3000ms));
}

TEST_CASE("max.connections: beyond 64 waiting refusals, new connections are closed at once, and the log tells the burst") {
  BrokerFixture f({"--max-connections", "1"});
  auto held = served_client(f);

  // Silent connections: each refusal would wait 1 s for a first request.
  // They are accepted in the order they connect.
  constexpr std::size_t kWaiting = 64;
  constexpr std::size_t kSilent = kWaiting + 16;
  const auto first_opened = Clock::now();
  std::vector<std::unique_ptr<WireClient>> silent;
  for (std::size_t i = 0; i < kSilent; ++i) silent.push_back(std::make_unique<WireClient>(f.broker->port(), 3000ms));

  // Past the 64th, each is closed at once: before any refusal's 1 s (which
  // began after first_opened) could have run out.
  for (std::size_t i = kWaiting; i < kSilent; ++i) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(first_opened + 900ms - Clock::now());
    CHECK_MESSAGE(silent[i]->wait_closed(std::max(left, 1ms)), "connection " << i << " was not closed at once");
  }
  // The first 64 are still waiting for a request to answer, unless this
  // thread was too slow to look in time.
  if (Clock::now() < first_opened + 950ms) {
    for (std::size_t i = 0; i < kWaiting; ++i) {
      CHECK_MESSAGE(!silent[i]->wait_closed(0ms), "connection " << i << " was closed before its 1 s");
    }
  } else {
    MESSAGE("too slow to check that the first 64 were still waiting");
  }
  for (auto& c : silent) CHECK(c->wait_closed(3000ms));

  // The served connection was never disturbed, and the log told the burst:
  // the first refusal at once, the rest (79, unless the burst outlasted a
  // second) a second later, with those closed unanswered.
  CHECK(held->api_versions().apis.size() == protocol::kApiKeyCount);
  CHECK(f.broker->wait_for_log("refused a connection", 1000ms));
  CHECK(f.broker->wait_for_log("connections in the last second", 3000ms));
  CHECK(f.broker->wait_for_log("of them closed unanswered (64 refusals were already waiting", 3000ms));
}

}  // namespace
}  // namespace strata::it
