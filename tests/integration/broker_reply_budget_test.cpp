// A client that pipelines small requests and never reads its replies (the
// "pipelining client" of the hostile suite). Before the reply budget the
// broker read every request and kept every reply: 2,000,000 ApiVersions
// frames (28 MB sent) took its RSS from 4 MiB to 645 MiB, and the memory
// stayed after the client left. Now each connection stops being read while
// max.inflight.requests.per.connection requests are unanswered or
// max.inflight.bytes.per.connection bytes of requests and replies are held,
// and the client's writes block instead.
#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "tests/integration/broker_api_test_util.h"

namespace strata::it {
namespace {

// Sends up to `frames` ApiVersions requests without reading anything, in
// writes of 8,192 frames; stops when a write blocks for 500 ms (the broker
// stopped reading). Returns the frames sent whole.
std::size_t pipeline_without_reading(WireClient& c, std::size_t frames) {
  constexpr std::size_t kPerWrite = 8192;
  const auto one = WireClient::request_frame(protocol::ApiKey::api_versions, 7, protocol::ApiVersionsRequest{});
  std::vector<std::uint8_t> chunk;
  for (std::size_t i = 0; i < kPerWrite; ++i) chunk.insert(chunk.end(), one.begin(), one.end());
  c.set_timeout(500ms);
  std::size_t sent = 0;
  while (sent < frames && c.try_send_bytes(chunk)) sent += kPerWrite;
  return sent;
}

struct BudgetFixture : BrokerFixture {
  using BrokerFixture::BrokerFixture;
  [[nodiscard]] std::uint64_t rss_kb() const {
    const auto kb = broker->proc_status_kb("VmRSS");
    REQUIRE(kb.has_value());
    return *kb;
  }
};

// Under AddressSanitizer freed memory waits in ASan's quarantine (256 MiB by
// default) instead of being reused, which an RSS bound reads as growth: the
// brokers started while this lives run without one. The variable means
// nothing to other builds.
class NoAsanQuarantine {
 public:
  NoAsanQuarantine() {
    const char* old = std::getenv("ASAN_OPTIONS");
    if (old != nullptr) saved_ = old;
    const std::string options =
        (saved_ ? *saved_ + ":" : std::string()) + "quarantine_size_mb=0:thread_local_quarantine_size_kb=0";
    ::setenv("ASAN_OPTIONS", options.c_str(), 1);
  }
  ~NoAsanQuarantine() {
    if (saved_) {
      ::setenv("ASAN_OPTIONS", saved_->c_str(), 1);
    } else {
      ::unsetenv("ASAN_OPTIONS");
    }
  }
  NoAsanQuarantine(const NoAsanQuarantine&) = delete;
  NoAsanQuarantine& operator=(const NoAsanQuarantine&) = delete;

 private:
  std::optional<std::string> saved_;
};

}  // namespace

TEST_CASE("reply budget: 2,000,000 pipelined requests never read keep the broker's RSS bounded") {
  const NoAsanQuarantine no_quarantine;
  BudgetFixture f;
  REQUIRE(f.client()->api_versions().apis.size() > 0);
  const std::uint64_t before = f.rss_kb();
  constexpr std::size_t kPerClient = 500'000;
  std::size_t sent = 0;
  std::size_t blocked = 0;
  std::uint64_t peak = 0;
  {
    // Four such clients at once: the bound holds per connection and in sum.
    std::vector<std::unique_ptr<WireClient>> clients;
    for (int i = 0; i < 4; ++i) clients.push_back(f.client());
    for (auto& c : clients) {
      const std::size_t n = pipeline_without_reading(*c, kPerClient);
      sent += n;
      blocked += n < kPerClient ? 1 : 0;
    }
    // Whatever the broker still reads from its socket buffers, it reads now.
    (void)eventually(
        [&] {
          peak = std::max(peak, f.rss_kb());
          return false;
        },
        500ms);
    // A well-behaved client is still served while they hold their budget.
    auto healthy = f.client();
    CHECK(healthy->api_versions().apis.size() > 0);
  }
  MESSAGE("sent " << sent << " frames unread; broker VmRSS before " << before << " kB, peak " << peak
                  << " kB, after the clients closed " << f.rss_kb() << " kB");
  // Unbounded, the broker read every frame the clients sent (all of them,
  // 32 MB) and kept a reply for each: hundreds of MiB. Bounded, each
  // connection holds at most 128 requests and their replies, and each
  // client's writes block once the socket buffers are full.
  CHECK(blocked == 4);
  CHECK(peak < before + 24 * 1024);
  // The replies pending when the clients closed are gone, and the broker
  // still serves.
  CHECK(eventually([&] { return f.rss_kb() < before + 24 * 1024; }, 2000ms));
  CHECK(f.client()->api_versions().apis.size() > 0);
}

TEST_CASE("reply budget: a client that reads after pipelining gets every reply, in order") {
  BudgetFixture f({"--max-inflight-requests-per-connection", "4"});
  auto c = f.client();
  const auto one = WireClient::request_frame(protocol::ApiKey::api_versions, 0, protocol::ApiVersionsRequest{});
  std::vector<std::uint8_t> all;
  constexpr std::uint32_t kRequests = 2000;
  for (std::uint32_t i = 0; i < kRequests; ++i) {
    auto frame = WireClient::request_frame(protocol::ApiKey::api_versions, 1000 + i, protocol::ApiVersionsRequest{});
    all.insert(all.end(), frame.begin(), frame.end());
  }
  c->send_bytes(all);  // 2000 requests in one write; the broker reads them 4 at a time
  for (std::uint32_t i = 0; i < kRequests; ++i) {
    const ResponseFrame r = c->read_frame();
    REQUIRE(r.header.correlation_id == 1000 + i);
    CHECK(r.header.error == ErrorCode::none);
  }
}

}  // namespace strata::it
