// ConnectionBudget and InflightBudget: when a connection's reader must wait.
#include <doctest/doctest.h>

#include "broker/net/connection_budget.h"

namespace strata::broker {

namespace {
constexpr std::uint64_t kOver = ConnectionBudget::kRequestOverhead;
}

TEST_CASE("connection budget: the reader waits at the request count, and resumes as replies are written") {
  InflightBudget broker(1u << 30);
  ConnectionBudget c({1u << 20, 2}, broker);
  const auto a = c.add_request(14);
  CHECK(c.pause() == ConnectionBudget::Pause::none);
  const auto b = c.add_request(14);
  CHECK(c.pause() == ConnectionBudget::Pause::connection);
  c.add_reply(100);  // a's reply
  c.finish(a + 100);
  CHECK(c.pause() == ConnectionBudget::Pause::none);
  CHECK(broker.used() == b);
  c.finish(b);
  CHECK(broker.used() == 0);
}

TEST_CASE("connection budget: reply bytes count, not only request bytes") {
  InflightBudget broker(1u << 30);
  ConnectionBudget c({10'000, 100}, broker);
  const auto charged = c.add_request(10);
  CHECK(c.pause() == ConnectionBudget::Pause::none);
  c.add_reply(10'000);  // a small request, a large reply held unsent
  CHECK(c.pause() == ConnectionBudget::Pause::connection);
  c.finish(charged + 10'000);
  CHECK(c.bytes() == 0);
  CHECK(c.peak_bytes() == 10 + kOver + 10'000);
}

TEST_CASE("connection budget: the broker-wide budget stops every connection but one small first request") {
  InflightBudget broker(1000);
  ConnectionBudget hog({1u << 20, 100}, broker);
  ConnectionBudget other({1u << 20, 100}, broker);
  (void)hog.add_request(2000);
  CHECK(broker.over());
  CHECK(hog.pause() == ConnectionBudget::Pause::broker);
  // Nothing pending: one request up to kSmallRequest may still be read.
  CHECK(other.pause() == ConnectionBudget::Pause::none);
  CHECK(other.pause(ConnectionBudget::kSmallRequest) == ConnectionBudget::Pause::none);
  CHECK(other.pause(ConnectionBudget::kSmallRequest + 1) == ConnectionBudget::Pause::broker);
  (void)other.add_request(100);
  CHECK(other.pause() == ConnectionBudget::Pause::broker);
}

TEST_CASE("connection budget: a closed connection returns every charge to the broker") {
  InflightBudget broker(1u << 30);
  {
    ConnectionBudget c({1u << 20, 100}, broker);
    (void)c.add_request(100);
    c.add_reply(5000);
    (void)c.add_request(200);
    CHECK(broker.used() == 100 + 5000 + 200 + 2 * kOver);
  }
  CHECK(broker.used() == 0);
  ConnectionBudget d({1u << 20, 100}, broker);
  (void)d.add_request(100);
  d.abandon();
  CHECK(broker.used() == 0);
  CHECK(d.requests() == 0);
}

}  // namespace strata::broker
