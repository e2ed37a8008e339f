// Controller election and fenced controller writes against a real etcd.
#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/controller_election.h"
#include "tests/integration/etcd_test_util.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using cluster::ClusterErrc;
using cluster::ControllerInfo;
using Clock = std::chrono::steady_clock;

const cluster::ClusterLayout kLayout("test");

// One broker's elector with its own lease, and what it learned.
struct Candidate {
  Candidate(EtcdFixture& f, std::int32_t id) : fx(f) {
    auto lease = fx.run(fx.client->grant(5));
    REQUIRE(lease);
    lease_id = lease.value().id;
    cluster::ElectorOptions o;
    o.layout = kLayout;
    o.broker_id = id;
    o.lease_id = lease_id;
    o.on_change = [this](const ControllerInfo& info) {
      std::lock_guard lock(mu);
      seen.push_back({info, Clock::now()});
    };
    elector = fx.run([&]() -> boost::asio::awaitable<std::shared_ptr<cluster::ControllerElector>> {
      cluster::ElectorOptions options = o;  // a named local: GCC 12's coroutine bug
      co_return cluster::ControllerElector::start(*fx.client, std::move(options));
    }());
  }
  ~Candidate() {
    fx.run([this]() -> boost::asio::awaitable<int> {
      elector->stop();
      co_return 0;
    }());
  }
  ControllerInfo last() const {
    std::lock_guard lock(mu);
    return seen.empty() ? ControllerInfo{} : seen.back().first;
  }
  // When it first learned `info`, if it did.
  std::optional<Clock::time_point> learned(const ControllerInfo& info) const {
    std::lock_guard lock(mu);
    for (const auto& [i, t] : seen) {
      if (i == info) return t;
    }
    return std::nullopt;
  }

  EtcdFixture& fx;
  std::int64_t lease_id = 0;
  std::shared_ptr<cluster::ControllerElector> elector;
  mutable std::mutex mu;
  std::vector<std::pair<ControllerInfo, Clock::time_point>> seen;
};

std::int64_t controller_create_revision(EtcdFixture& fx) {
  auto r = fx.run(fx.client->range({kLayout.controller_key(), false, 0, 0}));
  REQUIRE(r);
  return r.value().kvs.empty() ? 0 : r.value().kvs[0].create_revision;
}

}  // namespace

TEST_CASE("controller election: one controller, known to all, its epoch the key's create revision") {
  EtcdFixture fx;
  Candidate a(fx, 1);
  Candidate b(fx, 2);
  Candidate c(fx, 3);
  REQUIRE(eventually([&] { return a.last().broker_id != -1 && a.last() == b.last() && b.last() == c.last(); }, 5s));
  const ControllerInfo info = a.last();
  CHECK((info.broker_id >= 1 && info.broker_id <= 3));
  CHECK(info.epoch == controller_create_revision(fx));
  CHECK(fx.run([&]() -> boost::asio::awaitable<int> {
    co_return static_cast<int>(a.elector->is_controller()) + static_cast<int>(b.elector->is_controller()) +
        static_cast<int>(c.elector->is_controller());
  }()) == 1);
}

TEST_CASE("controller election: when the controller's lease goes, another is elected with a higher epoch") {
  EtcdFixture fx;
  Candidate a(fx, 1);
  REQUIRE(eventually([&] { return a.last().broker_id == 1; }, 5s));
  Candidate b(fx, 2);
  REQUIRE(eventually([&] { return b.last().broker_id == 1; }, 5s));
  const ControllerInfo first = a.last();
  const auto revoked = Clock::now();
  CHECK_FALSE(fx.run(fx.client->revoke(a.lease_id)));  // broker 1 died and its lease expired
  REQUIRE(eventually([&] { return b.last().broker_id == 2; }, 5s));
  const ControllerInfo second = b.last();
  CHECK(second.epoch > first.epoch);
  CHECK(second.epoch == controller_create_revision(fx));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(*b.learned(second) - revoked);
  MESSAGE("controller failover after the lease went: " << took.count() << " ms");
  CHECK(took < 5s);
  // The deposed broker learns it too.
  CHECK(eventually([&] { return a.last() == second; }, 5s));
}

TEST_CASE("controller election: a write fenced by an old epoch is refused and changes nothing") {
  EtcdFixture fx;
  Candidate a(fx, 1);
  REQUIRE(eventually([&] { return a.last().broker_id == 1; }, 5s));
  const std::int64_t old_epoch = a.last().epoch;
  using namespace cluster::etcd;
  auto put = [](std::string v) { return TxnRequest{{}, {TxnOp::put("/test/topics/t", std::move(v))}, {}}; };
  auto ok = fx.run(cluster::controller_txn(*fx.client, kLayout, old_epoch, put("1")));
  REQUIRE(ok);
  CHECK(ok.value().succeeded);

  CHECK_FALSE(fx.run(fx.client->revoke(a.lease_id)));
  Candidate b(fx, 2);
  REQUIRE(eventually([&] { return b.last().broker_id == 2; }, 5s));
  const auto stale = fx.run(cluster::controller_txn(*fx.client, kLayout, old_epoch, put("2")));
  CHECK(stale.error() == make_error_code(ClusterErrc::not_controller));
  CHECK(fx.run(fx.client->range({"/test/topics/t", false, 0, 0})).value().kvs.at(0).value == "1");

  // The caller's own compare failing is a value, not not_controller.
  const auto cas = fx.run(cluster::controller_txn(
      *fx.client, kLayout, b.last().epoch,
      TxnRequest{{Compare::value_is("/test/topics/t", "x")}, {TxnOp::put("/test/topics/t", "3")},
                 {TxnOp::get("/test/topics/t")}}));
  REQUIRE(cas);
  CHECK_FALSE(cas.value().succeeded);
  REQUIRE(cas.value().ranges.size() == 1);
  CHECK(cas.value().ranges[0].kvs.at(0).value == "1");
  // Writes in the failure branch would let a stale controller write: refused.
  CHECK(fx.run(cluster::controller_txn(*fx.client, kLayout, b.last().epoch,
                                       TxnRequest{{}, {}, {TxnOp::put("/x", "y")}}))
            .error() == std::make_error_code(std::errc::invalid_argument));
}

}  // namespace strata::it
