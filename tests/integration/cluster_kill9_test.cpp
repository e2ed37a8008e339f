// A broker's cluster part killed -9 and restarted at once (a real process,
// tests/integration/cluster_node_child.cpp): it rejoins immediately, by
// revoking the lease its previous run recorded, while a second live broker
// with the same id is still refused.
#include <doctest/doctest.h>

#include <csignal>

#include "tests/integration/cli_runner.h"
#include "tests/integration/etcd_process.h"
#include "tests/support/temp_dir.h"

namespace strata::it {
namespace {

using Clock = std::chrono::steady_clock;

std::unique_ptr<ChildProcess> node(const EtcdProcess& etcd, int id, const std::filesystem::path& dir) {
  return std::make_unique<ChildProcess>(std::vector<std::string>{STRATA_CLUSTER_NODE_CHILD, etcd.endpoint(),
                                                                 std::to_string(id), dir.string(), "5"});
}

}  // namespace

TEST_CASE("cluster kill -9: a broker restarted right after kill -9 rejoins at once, a live duplicate is refused") {
  EtcdProcess etcd;
  test::TempDir data;
  auto first = node(etcd, 1, data.path() / "a");
  REQUIRE_MESSAGE(first->wait_for_out("joined", 10s), (first->out() + first->err()));
  first->signal(SIGKILL);
  (void)first->wait(5s);

  // Its registration (lease TTL 5 s) is still there; without revoking it the
  // restart would be refused as a duplicate for up to 5 s.
  const auto t0 = Clock::now();
  auto second = node(etcd, 1, data.path() / "a");
  REQUIRE_MESSAGE(second->wait_for_out("joined", 10s), (second->out() + second->err()));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  MESSAGE("rejoined " << took.count() << " ms after kill -9 (lease TTL 5 s)");
  CHECK(took < 4s);
  CHECK(second->err().find("revoked etcd lease") != std::string::npos);

  auto twin = node(etcd, 1, data.path() / "b");
  const ProcessResult r = twin->wait(10s);
  CHECK(r.code == 2);
  CHECK(r.out.find("refused: node id 1 is taken by another live broker") != std::string::npos);
}

}  // namespace strata::it
