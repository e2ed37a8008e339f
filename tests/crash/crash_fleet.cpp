#include "tests/crash/crash_fleet.h"

#include <algorithm>

using namespace std::chrono_literals;

namespace strata::crash {

CrashFleet::CrashFleet(const std::filesystem::path& root, std::uint32_t brokers,
                       std::chrono::milliseconds start_timeout, bool partitions, bool power_loss) {
  std::filesystem::create_directories(root.parent_path());
  std::filesystem::create_directories(root);  // brokerN/ and their journals go in it
  if (partitions) lab_ = std::make_unique<it::NetLab>(static_cast<int>(brokers));
  if (brokers > 1) etcd_ = std::make_unique<it::EtcdProcess>(15s, 200ms, lab_ ? lab_->gateway() : std::string());
  for (std::uint32_t i = 0; i < brokers; ++i) {
    std::vector<std::string> args;
    if (etcd_) {
      // A short lease so a killed controller is replaced within seconds.
      const std::string etcd = lab_ ? etcd_->endpoint_on(lab_->gateway()) : etcd_->endpoint();
      args = {"--node-id", std::to_string(i + 1), "--etcd-endpoints", etcd, "--lease-ttl-s", "2"};
    }
    const auto dir = brokers == 1 ? root : root / ("broker" + std::to_string(i + 1));
    const int host = static_cast<int>(i);
    const std::string netns = lab_ ? lab_->netns(host) : std::string();
    const std::string address = lab_ ? lab_->address(host) : std::string("127.0.0.1");
    brokers_.push_back(
        std::make_unique<CrashBroker>(dir, start_timeout, std::move(args), netns, address, power_loss));
  }
}

std::string CrashFleet::address() const {
  std::string out;
  for (const auto& b : brokers_) out += (out.empty() ? "" : ",") + b->address();
  return out;
}

bool CrashFleet::stop_clean() {
  bool all = true;
  for (auto& b : brokers_) all = b->stop_clean() && all;
  return all;
}

void CrashFleet::start_all() {
  for (auto& b : brokers_) b->start();
}

std::chrono::milliseconds CrashFleet::slowest_start_time() const {
  std::chrono::milliseconds slowest{0};
  for (const auto& b : brokers_) slowest = std::max(slowest, b->slowest_start_time());
  return slowest;
}

std::string CrashFleet::history() const {
  std::string out;
  for (std::size_t i = 0; i < brokers_.size(); ++i) {
    out += "##### broker " + std::to_string(i + 1) + "\n" + brokers_[i]->history();
  }
  if (etcd_) out += "##### etcd\n" + etcd_->log();
  return out;
}

}  // namespace strata::crash
