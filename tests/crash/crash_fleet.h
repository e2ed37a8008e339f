// The brokers under the crash test: one standalone broker, or (--brokers N,
// N > 1) a cluster of N brokers coordinated by one etcd started here, each
// broker on its own fixed loopback port and data directory. Clients
// bootstrap from address(), the list of every broker.
//
// Threads: the main thread only (children die with the thread that forked
// them, PR_SET_PDEATHSIG).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/crash/crash_broker.h"
#include "tests/integration/etcd_process.h"
#include "tests/integration/net_lab.h"

namespace strata::crash {

class CrashFleet {
 public:
  // Starts etcd (cluster only) and every broker under `root`/brokerN; with
  // `partitions`, each broker in its own network namespace (NetLab), so
  // isolate() can cut it off. Throws std::runtime_error when one does not
  // come up.
  CrashFleet(const std::filesystem::path& root, std::uint32_t brokers, std::chrono::milliseconds start_timeout,
             bool partitions = false);

  [[nodiscard]] std::string address() const;
  [[nodiscard]] std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(brokers_.size()); }
  [[nodiscard]] bool clustered() const noexcept { return etcd_ != nullptr; }
  [[nodiscard]] CrashBroker& broker(std::uint32_t i) { return *brokers_.at(i); }
  [[nodiscard]] bool partitionable() const noexcept { return lab_ != nullptr; }
  // Broker i loses (regains) its network link to everything.
  // REQUIRES: partitionable().
  void isolate(std::uint32_t i) { lab_->isolate(static_cast<int>(i)); }
  void heal(std::uint32_t i) { lab_->heal(static_cast<int>(i)); }
  // SIGTERM to every broker; true if each exited 0.
  bool stop_clean();
  // Starts every broker (after stop_clean).
  void start_all();
  [[nodiscard]] std::chrono::milliseconds slowest_start_time() const;
  // Every broker's runs, each under a "##### broker N" line, then etcd's log.
  [[nodiscard]] std::string history() const;

 private:
  std::unique_ptr<it::NetLab> lab_;  // before etcd_: etcd serves on its bridge
  std::unique_ptr<it::EtcdProcess> etcd_;
  std::vector<std::unique_ptr<CrashBroker>> brokers_;
};

}  // namespace strata::crash
