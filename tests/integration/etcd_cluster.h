// A three-member etcd cluster on free loopback ports, for tests of what
// brokers do when an etcd member dies: any one member may be killed -9 and
// restarted (on its data directory and ports) while the other two keep the
// quorum.
//
// Threads: the test thread only (PR_SET_PDEATHSIG ties the children to it).
#pragma once

#include <array>
#include <memory>
#include <string>

#include "tests/integration/etcd_process.h"

namespace strata::it {

class EtcdCluster {
 public:
  // Starts the three members and waits (bounded) until each is ready;
  // throws std::runtime_error with a member's log when one is not.
  explicit EtcdCluster(std::chrono::milliseconds ready_timeout = 20s);

  // "http://127.0.0.1:A,http://127.0.0.1:B,http://127.0.0.1:C", as
  // --etcd-endpoints takes it.
  [[nodiscard]] std::string endpoints() const;
  [[nodiscard]] EtcdProcess& member(int i) { return *members_.at(static_cast<std::size_t>(i)); }

 private:
  std::array<std::unique_ptr<EtcdProcess>, 3> members_;
};

}  // namespace strata::it
