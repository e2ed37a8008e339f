// A real etcd (Debian's etcd-server, 3.4) for cluster tests: one member on
// free loopback ports with its data in a temporary directory, a short
// election timeout (--heartbeat-interval 20 --election-timeout 200) so it
// is ready in well under a second. Torn down with SIGKILL by PID (a member
// without quorum may ignore SIGTERM). kill9() and restart() keep the data
// directory and the ports, as an etcd that crashed and came back.
//
// Threads: create and drive it from the test thread (the child gets
// PR_SET_PDEATHSIG tied to the forking thread).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "tests/integration/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace strata::it {

class EtcdProcess {
 public:
  // Starts etcd and waits up to ready_timeout for "ready to serve client
  // requests"; throws std::runtime_error with its log if it does not come.
  // election_timeout sets etcd's minimum lease TTL, ceil(1.5 x it); the
  // heartbeat interval is a tenth of it.
  // `also_on`: another local address etcd serves clients on too (e.g. a
  // NetLab bridge, for brokers in network namespaces), same port.
  explicit EtcdProcess(std::chrono::milliseconds ready_timeout = 15s,
                       std::chrono::milliseconds election_timeout = 200ms, std::string also_on = {});
  ~EtcdProcess();
  EtcdProcess(const EtcdProcess&) = delete;
  EtcdProcess& operator=(const EtcdProcess&) = delete;

  // "http://127.0.0.1:PORT", as --etcd-endpoints takes it.
  [[nodiscard]] std::string endpoint() const;
  // The same on `host` (also_on).
  [[nodiscard]] std::string endpoint_on(const std::string& host) const;
  [[nodiscard]] std::uint16_t client_port() const noexcept { return client_port_; }
  [[nodiscard]] pid_t pid() const noexcept;
  [[nodiscard]] bool running() const noexcept { return child_ != nullptr; }

  // SIGKILL, reaped before return.
  void kill9();
  // A new etcd process on the same data directory and ports.
  void restart(std::chrono::milliseconds ready_timeout = 15s);
  // Everything etcd logged (for failure messages).
  [[nodiscard]] std::string log() const;

 private:
  void start(std::chrono::milliseconds ready_timeout);

  test::TempDir dir_{"strata-etcd"};
  std::uint16_t client_port_ = 0;
  std::uint16_t peer_port_ = 0;
  std::chrono::milliseconds election_timeout_;
  std::string also_on_;
  std::unique_ptr<ChildProcess> child_;
  std::string old_logs_;
};

// Whether an etcd binary is installed (scripts/install-deps.sh installs it).
[[nodiscard]] bool etcd_installed();

}  // namespace strata::it
