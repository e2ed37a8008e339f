// Membership against a real etcd: registration under a kept-alive lease,
// a duplicate node id refused, an immediate rejoin after this broker's own
// crash, a clean leave, re-registering after the lease is lost, and the
// lease TTL etcd grants.
#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include <fstream>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/cluster_id.h"
#include "broker/cluster/lease_file.h"
#include "broker/cluster/membership.h"
#include "storage/posix_file_system.h"
#include "tests/integration/etcd_test_util.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using cluster::ClusterErrc;
using cluster::Membership;
using MembershipPtr = std::shared_ptr<Membership>;
using Clock = std::chrono::steady_clock;

// One broker's side: its data directory, registration and log.
struct Node {
  explicit Node(std::int32_t id, std::uint16_t port = 9092) {
    options.layout = cluster::ClusterLayout("test");
    options.registration = {id, cluster::random_uuid(), {{"strata", "127.0.0.1", port}}};
    options.lease_ttl_s = 1;
    options.fs = &fs;
    options.data_dir = dir.path();
    options.log = [this](const std::string& line) { log.add(line); };
    options.on_renewed = [this](std::error_code ec) {
      std::lock_guard lock(log.mu);
      renewals.push_back(ec);
    };
  }
  // A new process on the same data directory: a new incarnation.
  void restart() { options.registration.incarnation = cluster::random_uuid(); }

  storage::PosixFileSystem fs;
  test::TempDir dir{"strata-node"};
  cluster::MembershipOptions options;
  LogSink log;
  std::vector<std::error_code> renewals;
};

struct Joined {
  Result<MembershipPtr> member = make_error_code(ClusterErrc::shut_down);
  std::string refusal;
};

Joined join(EtcdFixture& fx, Node& node) {
  Joined out;
  out.member = fx.run([&]() -> boost::asio::awaitable<Result<MembershipPtr>> {
    cluster::MembershipOptions options = node.options;  // a named local: GCC 12's coroutine bug
    co_return co_await Membership::join(*fx.client, std::move(options), out.refusal);
  }());
  return out;
}

// join() that must succeed.
MembershipPtr must_join(EtcdFixture& fx, Node& node) {
  auto j = join(fx, node);
  REQUIRE_MESSAGE(j.member, j.refusal);
  return j.member.value();
}

void stop(EtcdFixture& fx, const MembershipPtr& m) {
  fx.run([&]() -> boost::asio::awaitable<int> {
    m->stop();
    co_return 0;
  }());
}

std::optional<cluster::etcd::KeyValue> registration(EtcdFixture& fx, std::int32_t id) {
  auto r = fx.run(fx.client->range({cluster::ClusterLayout("test").broker_key(id), false, 0, 0}));
  REQUIRE(r);
  if (r.value().kvs.empty()) return std::nullopt;
  return r.value().kvs[0];
}

}  // namespace

TEST_CASE("membership: registers under a lease, records the lease, and keepalives keep it past its TTL") {
  EtcdFixture fx;
  Node node(1);
  const MembershipPtr m = must_join(fx, node);
  CHECK(m->granted_ttl_s() == 1);
  const auto kv = registration(fx, 1);
  REQUIRE(kv);
  CHECK(kv->lease == m->lease_id());
  std::string why;
  CHECK(cluster::decode_broker_registration(kv->value, why).value() == node.options.registration);
  CHECK(cluster::read_lease_file(node.fs, node.dir.path()).value() == m->lease_id());
  std::this_thread::sleep_for(3500ms);  // 3.5 TTLs
  CHECK(registration(fx, 1));
  stop(fx, m);
}

TEST_CASE("membership: a second live broker with the same node id is refused, naming the holder") {
  EtcdFixture fx;
  Node first(4, 9101);
  Node second(4, 9102);
  const MembershipPtr a = must_join(fx, first);
  const auto t0 = Clock::now();
  auto b = join(fx, second);
  REQUIRE_FALSE(b.member);
  CHECK(b.member.error() == make_error_code(ClusterErrc::duplicate_broker_id));
  CHECK(Clock::now() - t0 < 5s);
  CHECK(b.refusal.find("node id 4 is taken by another live broker") != std::string::npos);
  CHECK(b.refusal.find(cluster::uuid_text(first.options.registration.incarnation)) != std::string::npos);
  CHECK(b.refusal.find("127.0.0.1:9101") != std::string::npos);
  CHECK(b.refusal.find("--node-id") != std::string::npos);
  // The holder is untouched.
  CHECK(registration(fx, 4)->lease == a->lease_id());
  stop(fx, a);
}

TEST_CASE("membership: a broker restarted right after a crash rejoins at once, revoking its previous lease") {
  EtcdFixture fx;
  Node node(2);
  const MembershipPtr before = must_join(fx, node);
  stop(fx, before);  // the process dies: no more keepalives, no revoke
  // Proof the old key is still live: another data directory is refused.
  Node stranger(2);
  CHECK(join(fx, stranger).member.error() == make_error_code(ClusterErrc::duplicate_broker_id));

  node.restart();
  const auto t0 = Clock::now();
  const MembershipPtr after = must_join(fx, node);
  CHECK(Clock::now() - t0 < 5s);  // at once: the refusal of the stranger above shows the old key was live
  CHECK(after->lease_id() != before->lease_id());
  CHECK(node.log.contains("revoked etcd lease " + std::to_string(before->lease_id())));
  std::string why;
  CHECK(cluster::decode_broker_registration(registration(fx, 2)->value, why).value().incarnation ==
        node.options.registration.incarnation);
  stop(fx, after);
}

TEST_CASE("membership: an unreadable lease file is ignored with a log line") {
  EtcdFixture fx;
  Node node(3);
  std::ofstream(node.dir.path() / cluster::kLeaseFileName) << "garbage";
  const MembershipPtr m = must_join(fx, node);
  CHECK(node.log.contains("ignoring strata~lease"));
  stop(fx, m);
}

TEST_CASE("membership: leave removes the registration at once") {
  EtcdFixture fx;
  Node node(5);
  CHECK_FALSE(fx.run(must_join(fx, node)->leave()));
  CHECK_FALSE(registration(fx, 5));
}

TEST_CASE("membership: when its lease is lost it registers again under a new one") {
  EtcdFixture fx;
  Node node(6);
  const MembershipPtr m = must_join(fx, node);
  const std::int64_t old = m->lease_id();
  CHECK_FALSE(fx.run(fx.client->revoke(old)));  // as if it expired while etcd was out of reach
  REQUIRE(eventually([&] {
    const auto kv = registration(fx, 6);
    return kv && kv->lease != old;
  }, 5s));
  CHECK(node.log.contains("registering again"));
  {
    std::lock_guard lock(node.log.mu);
    REQUIRE(node.renewals.size() == 1);
    CHECK_FALSE(node.renewals[0]);
  }
  CHECK(cluster::read_lease_file(node.fs, node.dir.path()).value() == m->lease_id());
  stop(fx, m);
}

TEST_CASE("membership: the TTL etcd grants is used when it is larger than lease.ttl.s") {
  EtcdFixture fx(2000ms);  // etcd's minimum TTL is then ceil(1.5 x 2 s) = 3 s
  Node node(7);
  const MembershipPtr m = must_join(fx, node);
  CHECK(m->granted_ttl_s() == 3);
  CHECK(node.log.contains("etcd granted a lease of 3 s (lease.ttl.s asked 1 s"));
  stop(fx, m);
}

TEST_CASE("cluster id: created by the first broker, the same for every other, refused when not an id") {
  EtcdFixture fx;
  const cluster::ClusterLayout layout("test");
  const auto first = fx.run(cluster::ensure_cluster_id(*fx.client, layout));
  REQUIRE(first);
  const auto second = fx.run(cluster::ensure_cluster_id(*fx.client, layout));
  REQUIRE(second);
  CHECK(second.value() == first.value());
  CHECK(fx.run(fx.client->range({layout.cluster_id_key(), false, 0, 0})).value().kvs.at(0).value ==
        cluster::uuid_text(first.value()));
  // Another cluster name sharing the etcd gets its own.
  CHECK(fx.run(cluster::ensure_cluster_id(*fx.client, cluster::ClusterLayout("other"))).value() != first.value());
  REQUIRE(fx.run(fx.client->put({layout.cluster_id_key(), "not an id", 0})));
  CHECK(fx.run(cluster::ensure_cluster_id(*fx.client, layout)).error() == make_error_code(ClusterErrc::bad_value));
}

}  // namespace strata::it
