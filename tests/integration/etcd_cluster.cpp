#include "tests/integration/etcd_cluster.h"

#include <algorithm>

namespace strata::it {

EtcdCluster::EtcdCluster(std::chrono::milliseconds ready_timeout) {
  std::array<std::uint16_t, 6> ports{};
  for (std::size_t i = 0; i < ports.size(); ++i) {
    // Distinct: free_port() may hand back one just handed out.
    do {
      ports[i] = free_port();
    } while (std::find(ports.begin(), ports.begin() + static_cast<std::ptrdiff_t>(i), ports[i]) !=
             ports.begin() + static_cast<std::ptrdiff_t>(i));
  }
  std::string initial;
  for (std::size_t i = 0; i < 3; ++i) {
    initial += (i ? "," : "") + std::string("e") + std::to_string(i) + "=http://127.0.0.1:" +
               std::to_string(ports[3 + i]);
  }
  // All three launch before any is waited for: none is ready alone.
  for (std::size_t i = 0; i < 3; ++i) {
    members_[i] = std::make_unique<EtcdProcess>("e" + std::to_string(i), ports[i], ports[3 + i], initial, 500ms);
  }
  for (auto& m : members_) m->wait_ready(ready_timeout);
}

std::string EtcdCluster::endpoints() const {
  std::string out;
  for (const auto& m : members_) out += (out.empty() ? "" : ",") + m->endpoint();
  return out;
}

}  // namespace strata::it
