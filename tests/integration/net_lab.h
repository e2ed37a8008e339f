// A small network of test hosts on this machine, for partition faults
// (issues 17 and 18): a bridge in the test's network namespace with the
// gateway address 10.77.S.1/24, and one network namespace per host, each
// joined to the bridge by a veth pair and given 10.77.S.(11 + i) (S from
// the test's PID, so suites running side by side do not meet). The test
// process, and an etcd listening on gateway(), reach every host through the
// bridge; isolate(i) takes host i's link down, so no packet goes in or out
// (partitioned from everything: etcd, the other hosts, clients), and heal(i)
// brings it back up.
//
// Needs root (CAP_NET_ADMIN) and iproute2's `ip`; available() says whether
// this machine allows it, and a test skips (saying so) when it does not.
// The destructor removes the namespaces (their veths go with them) and the
// bridge. Threads: the test thread only.
#pragma once

#include <string>
#include <vector>

namespace strata::it {

class NetLab {
 public:
  // Throws std::runtime_error (naming the failed `ip` command) when a step fails.
  explicit NetLab(int hosts);
  ~NetLab();
  NetLab(const NetLab&) = delete;
  NetLab& operator=(const NetLab&) = delete;

  // Whether network namespaces can be made here (tried once, then cached).
  [[nodiscard]] static bool available();

  [[nodiscard]] std::string gateway() const;       // 10.77.S.1
  [[nodiscard]] std::string address(int i) const;  // host i's 10.77.S.(11 + i)
  [[nodiscard]] std::string netns(int i) const;    // its namespace's name
  // Host i loses (regains) its link to everything.
  void isolate(int i);
  void heal(int i);

 private:
  [[nodiscard]] std::string veth(int i) const;  // the bridge side of host i's link
  void cleanup();  // removes whatever was made; idempotent

  int subnet_;
  std::string bridge_;
  std::vector<std::string> namespaces_;
};

}  // namespace strata::it
