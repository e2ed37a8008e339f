// strata's etcd client against a real etcd (etcd_process.h): KV, txn,
// leases, failover and a dead etcd.
#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <thread>

#include "broker/cluster/cluster_errc.h"
#include "tests/integration/etcd_test_util.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using cluster::ClusterErrc;
using namespace cluster::etcd;
using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t);
}

}  // namespace

TEST_CASE("etcd client: put, range of one key and of a prefix, delete") {
  EtcdFixture fx;
  auto& c = *fx.client;
  // Bytes base64 must carry: a NUL, 0xff and a newline.
  const std::string odd_value("v\0\xff\n", 4);
  const auto rev1 = fx.run(c.put({"/t/a", odd_value, 0}));
  REQUIRE(rev1);
  REQUIRE(fx.run(c.put({"/t/b", "2", 0})));
  REQUIRE(fx.run(c.put({"/u/c", "3", 0})));

  const auto one = fx.run(c.range({"/t/a", false, 0, 0}));
  REQUIRE(one);
  REQUIRE(one.value().kvs.size() == 1);
  CHECK(one.value().kvs[0].value == odd_value);
  CHECK(one.value().kvs[0].create_revision == rev1.value());
  CHECK(one.value().kvs[0].version == 1);

  const auto prefix = fx.run(c.range({"/t/", true, 0, 0}));
  REQUIRE(prefix);
  REQUIRE(prefix.value().kvs.size() == 2);
  CHECK(prefix.value().kvs[0].key == "/t/a");
  CHECK(prefix.value().kvs[1].key == "/t/b");
  CHECK(prefix.value().count == 2);

  const auto missing = fx.run(c.range({"/nothing", false, 0, 0}));
  REQUIRE(missing);
  CHECK(missing.value().kvs.empty());
  CHECK(missing.value().count == 0);  // the gateway leaves a zero count out

  REQUIRE(fx.run(c.del({"/t/", true})));
  const auto after = fx.run(c.range({"/t/", true, 0, 0}));
  REQUIRE(after);
  CHECK(after.value().kvs.empty());
  CHECK(fx.run(c.range({"/u/c", false, 0, 0})).value().kvs.size() == 1);
}

TEST_CASE("etcd client: a create-if-absent txn succeeds once, and a failed txn reads the holder") {
  EtcdFixture fx;
  auto& c = *fx.client;
  auto create = [](std::string value) {
    return TxnRequest{{Compare::absent("/k")}, {TxnOp::put("/k", std::move(value))}, {TxnOp::get("/k")}};
  };
  const auto first = fx.run(c.txn(create("first")));
  REQUIRE(first);
  CHECK(first.value().succeeded);
  CHECK(first.value().ranges.empty());

  // A failed txn has no "succeeded" field at all: it must read as false.
  const auto second = fx.run(c.txn(create("second")));
  REQUIRE(second);
  CHECK_FALSE(second.value().succeeded);
  REQUIRE(second.value().ranges.size() == 1);
  REQUIRE(second.value().ranges[0].kvs.size() == 1);
  const KeyValue holder = second.value().ranges[0].kvs[0];
  CHECK(holder.value == "first");

  // Compare-and-swap on the mod revision: the stale one loses.
  const TxnRequest cas{{Compare::modified_at("/k", holder.mod_revision)}, {TxnOp::put("/k", "third")}, {}};
  CHECK(fx.run(c.txn(cas)).value().succeeded);
  CHECK_FALSE(fx.run(c.txn(cas)).value().succeeded);
  // On the value.
  CHECK(fx.run(c.txn(TxnRequest{{Compare::value_is("/k", "third")}, {TxnOp::del("/k")}, {}})).value().succeeded);
  CHECK(fx.run(c.range({"/k", false, 0, 0})).value().kvs.empty());
}

TEST_CASE("etcd client: a key under a lease vanishes when the lease expires") {
  EtcdFixture fx;
  auto& c = *fx.client;
  const auto lease = fx.run(c.grant(1));
  REQUIRE(lease);
  CHECK(lease.value().ttl_s >= 1);
  REQUIRE(fx.run(c.put({"/leased", "x", lease.value().id})));
  CHECK(fx.run(c.range({"/leased", false, 0, 0})).value().kvs.at(0).lease == lease.value().id);
  const auto t0 = Clock::now();
  const bool gone = eventually([&] { return fx.run(c.range({"/leased", false, 0, 0})).value().kvs.empty(); },
                            std::chrono::seconds(lease.value().ttl_s) + 5s);
  CHECK(gone);
  CHECK(since(t0) >= std::chrono::milliseconds(lease.value().ttl_s * 1000 - 300));
  CHECK(fx.run(c.keepalive(lease.value().id)).error() == make_error_code(ClusterErrc::lease_not_found));
}

TEST_CASE("etcd client: keepalive keeps a leased key past its TTL, and revoke removes it at once") {
  EtcdFixture fx;
  auto& c = *fx.client;
  const auto lease = fx.run(c.grant(1));
  REQUIRE(lease);
  REQUIRE(fx.run(c.put({"/kept", "x", lease.value().id})));
  const auto until = Clock::now() + std::chrono::seconds(lease.value().ttl_s) * 3;
  for (int i = 0; i < 100 && Clock::now() < until; ++i) {
    const auto ttl = fx.run(c.keepalive(lease.value().id));
    REQUIRE(ttl);
    CHECK(ttl.value() >= 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(lease.value().ttl_s * 1000 / 4));
  }
  CHECK(fx.run(c.range({"/kept", false, 0, 0})).value().kvs.size() == 1);

  CHECK_FALSE(fx.run(c.revoke(lease.value().id)));
  CHECK(fx.run(c.range({"/kept", false, 0, 0})).value().kvs.empty());
  CHECK(fx.run(c.revoke(lease.value().id)) == make_error_code(ClusterErrc::lease_not_found));
  CHECK(fx.run(c.keepalive(lease.value().id)).error() == make_error_code(ClusterErrc::lease_not_found));
}

TEST_CASE("etcd client: fails over from a dead endpoint to a live one, and stays there") {
  EtcdFixture fx;
  const std::string dead = "http://127.0.0.1:" + std::to_string(free_port());
  auto c = fx.make_client(dead + "," + fx.etcd.endpoint());
  const auto t0 = Clock::now();
  REQUIRE(fx.run(c->put({"/f", "1", 0})));
  CHECK(fx.log.contains("127.0.0.1:"));  // the dead endpoint was tried and logged
  const std::size_t failures = fx.log.size();
  REQUIRE(fx.run(c->range({"/f", false, 0, 0})));
  CHECK(fx.log.size() == failures);  // the live one is remembered
  CHECK(since(t0) < 5s);
}

TEST_CASE("etcd client: with etcd down every call fails with etcd_unreachable, quickly") {
  EtcdFixture fx;
  auto& c = *fx.client;
  REQUIRE(fx.run(c.put({"/d", "1", 0})));
  fx.etcd.kill9();
  const auto t0 = Clock::now();
  CHECK(fx.run(c.range({"/d", false, 0, 0})).error() == make_error_code(ClusterErrc::etcd_unreachable));
  CHECK(fx.run(c.put({"/d", "2", 0})).error() == make_error_code(ClusterErrc::etcd_unreachable));
  CHECK(fx.run(c.grant(5)).error() == make_error_code(ClusterErrc::etcd_unreachable));
  CHECK(since(t0) < 3s);
  CHECK(c.last_error_detail().find(fx.etcd.endpoint().substr(7)) != std::string::npos);
  // The same failure again and again is logged once, not once per call.
  for (int i = 0; i < 5; ++i) CHECK_FALSE(fx.run(c.range({"/d", false, 0, 0})));
  CHECK(fx.log.count(c.last_error_detail()) == 1);
  CHECK(std::string(make_error_code(ClusterErrc::etcd_unreachable).message()).find("--etcd-endpoints") !=
        std::string::npos);
  // And it works again once etcd is back (same data: the key is there).
  fx.etcd.restart();
  const auto back = fx.run(c.range({"/d", false, 0, 0}));
  REQUIRE(back);
  CHECK(back.value().kvs.at(0).value == "1");
  CHECK(fx.log.contains(fx.etcd.endpoint().substr(7) + " answers again"));
}

TEST_CASE("etcd client: an endpoint that accepts but never answers times out within the request timeout") {
  EtcdFixture fx;
  // A listening socket nobody accepts from: the kernel completes the
  // connection, the request is sent, no answer ever comes.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 16) == 0);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  const std::string silent = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  auto only_silent = fx.make_client(silent, 300ms);
  auto t0 = Clock::now();
  // A put may have been applied: not retried, and named as a timeout.
  CHECK(fx.run(only_silent->put({"/s", "1", 0})).error() == make_error_code(ClusterErrc::etcd_timeout));
  CHECK(since(t0) < 3s);
  CHECK(only_silent->last_error_detail().find("no answer within 300 ms") != std::string::npos);

  // A range is idempotent: it goes on to the next endpoint.
  auto silent_then_live = fx.make_client(silent + "," + fx.etcd.endpoint(), 300ms);
  t0 = Clock::now();
  CHECK(fx.run(silent_then_live->range({"/s", false, 0, 0})));
  CHECK(since(t0) < 3s);
  ::close(fd);
}

TEST_CASE("etcd client: an answer above max_response_bytes is response_too_large, not read whole") {
  EtcdFixture fx;
  REQUIRE(fx.run(fx.client->put({"/big", std::string(4000, 'x'), 0})));
  auto options = client_options(fx.etcd.endpoint(), fx.log);
  options.max_response_bytes = 1000;
  cluster::EtcdClient small(fx.thread.executor(), std::move(options));
  CHECK(fx.run(small.range({"/big", false, 0, 0})).error() == make_error_code(ClusterErrc::response_too_large));
  CHECK(small.last_error_detail().find("larger than 1000 bytes") != std::string::npos);
  CHECK(fx.run(small.range({"/nothing", false, 0, 0})));  // small answers still work
}

}  // namespace strata::it
