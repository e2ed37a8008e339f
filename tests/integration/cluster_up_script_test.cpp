// scripts/cluster-up.sh, the README's cluster quick start, run as a user
// runs it: etcd and three brokers come up on the ports it is given and form
// one cluster; `stop` ends every process it started. (The script once
// started every broker with the default Kafka port, so brokers 2 and 3
// exited at once: Address already in use.)
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "tests/integration/broker_process.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/client_test_util.h"
#include "tests/integration/etcd_process.h"
#include "tests/integration/test_util.h"
#include "tests/support/temp_dir.h"

namespace strata::it {

namespace {

const std::string kScript = std::string(STRATA_SOURCE_DIR) + "/scripts/cluster-up.sh";

// Runs `cluster-up.sh DIR stop` on destruction, so a failed check leaves
// no process behind.
struct StopOnExit {
  std::string dir;
  EnvVars env;
  ~StopOnExit() { (void)ChildProcess({kScript, dir, "stop"}, {}, env).wait(20s); }
};

std::vector<pid_t> recorded_pids(const std::filesystem::path& dir) {
  std::vector<pid_t> pids;
  for (const char* name : {"etcd.pid", "broker1.pid", "broker2.pid", "broker3.pid"}) {
    std::ifstream in(dir / name);
    pid_t pid = 0;
    if (in >> pid) pids.push_back(pid);
  }
  return pids;
}

// Running and not a zombie waiting for its reaper.
bool alive(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, comm, state;
  stat >> pid_field >> comm >> state;
  return state != "Z";
}

}  // namespace

TEST_CASE("scripts/cluster-up.sh starts etcd and three brokers as one cluster, and stop ends them all") {
  if (!etcd_installed()) return;
  test::TempDir d{"strata-cluster-up"};
  const auto dir = d.path() / "cluster";
  // Every port the script uses is base + 0..99 (brokers +1..3, Kafka
  // +91..93, etcd +50 and its peer +60), below the ephemeral range that
  // free_port() draws from, and apart per process (kafka_cluster.py, which
  // runs the script too, takes 10000-19999).
  const auto port = static_cast<std::uint16_t>(20000 + (::getpid() % 100) * 100);
  const auto etcd_port = static_cast<std::uint16_t>(port + 50);
  const EnvVars env{{"STRATA_BIN", std::filesystem::path(broker_binary()).parent_path().string()},
                    {"STRATA_CLUSTER_PORT", std::to_string(port)},
                    {"STRATA_ETCD_PORT", std::to_string(etcd_port)}};
  StopOnExit stop{dir.string(), env};
  const ProcessResult up = ChildProcess({kScript, dir.string()}, {}, env).wait(90s);
  REQUIRE_MESSAGE(up.code == 0, up.describe());
  const std::string bootstrap = "127.0.0.1:" + std::to_string(port + 1);
  CHECK_MESSAGE(up.out.find("--broker " + bootstrap) != std::string::npos, up.out);
  const std::vector<pid_t> pids = recorded_pids(dir);
  REQUIRE(pids.size() == 4);

  const ProcessResult created = run_strata(bootstrap, {"topic", "create", "orders", "--partitions", "6"});
  REQUIRE_MESSAGE(created.code == 0, created.describe());
  // Broker 3 learns of the topic through etcd's watch, a moment later.
  ProcessResult cluster;
  const bool spread = eventually([&] {
    cluster = run_strata("127.0.0.1:" + std::to_string(port + 3), {"cluster", "--format", "json"});
    if (cluster.code != 0) return false;
    const JsonValue j = parse_json(cluster.out);
    if (j.at("brokers").size() != 3) return false;
    for (const auto& b : j.at("brokers")) {
      if (as_int(b.at("partitions_led")) != 2) return false;
    }
    return true;
  }, 20s);
  const std::string last = cluster.describe();
  CHECK_MESSAGE(spread, last);  // three brokers leading two partitions each

  const ProcessResult stopped = ChildProcess({kScript, dir.string(), "stop"}, {}, env).wait(20s);
  CHECK_MESSAGE(stopped.code == 0, stopped.describe());
  const bool gone = eventually([&] {
    for (const pid_t pid : pids) {
      if (alive(pid)) return false;
    }
    return true;
  }, 20s);
  CHECK_MESSAGE(gone, "a process cluster-up.sh started outlived `stop`");
}

}  // namespace strata::it
