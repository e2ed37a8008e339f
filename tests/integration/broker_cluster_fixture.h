// Three strata-broker processes and one etcd on loopback, for cluster-mode
// tests: each broker keeps its data directory and port across restarts
// (kill9 + restart = a crash and an immediate restart).
//
// Threads: the test thread only.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/broker_process.h"
#include "tests/integration/etcd_process.h"
#include "tests/integration/wire_client.h"
#include "tests/support/temp_dir.h"

namespace strata::it {

class ThreeBrokers {
 public:
  ThreeBrokers();
  // Node ids are 1..3; index = id - 1.
  [[nodiscard]] BrokerProcess& broker(int id) { return *brokers_[static_cast<std::size_t>(id - 1)]; }
  [[nodiscard]] std::uint16_t port(int id) const { return ports_[static_cast<std::size_t>(id - 1)]; }
  [[nodiscard]] std::unique_ptr<WireClient> client(int id) const;
  [[nodiscard]] std::filesystem::path data_dir(int id) const { return dirs_[static_cast<std::size_t>(id - 1)].path(); }
  void kill9(int id);
  void restart(int id);
  EtcdProcess etcd;

 private:
  [[nodiscard]] std::vector<std::string> args(int id) const;
  std::array<test::TempDir, 3> dirs_{test::TempDir{"strata-b1"}, test::TempDir{"strata-b2"},
                                     test::TempDir{"strata-b3"}};
  std::array<std::uint16_t, 3> ports_{};
  std::array<std::unique_ptr<BrokerProcess>, 3> brokers_;
};

// Creates `topic` through broker `via` and waits (bounded) until every
// running broker's Metadata has it; false if that does not happen.
[[nodiscard]] bool create_everywhere(ThreeBrokers& c, int via, const std::string& topic, std::uint32_t partitions);

// For each partition of `topic`, the node id of the running broker that
// accepts a produce to it (-1 if none does within 20 s); each partition
// gets one probe record.
[[nodiscard]] std::vector<int> leaders_by_produce(ThreeBrokers& c, const std::string& topic, std::uint32_t partitions);

// Topic `topic` with three partitions spread over the brokers, each with
// one probe record, and `kept` more records on partition 0. Returns the
// leaders (index = partition); REQUIREs that it all worked.
[[nodiscard]] std::vector<int> spread_with_records(ThreeBrokers& c, const std::string& topic, int kept);

}  // namespace strata::it
