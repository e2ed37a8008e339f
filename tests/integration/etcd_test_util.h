// A real etcd plus strata's etcd client on its own cluster thread, for the
// cluster integration tests. run() blocks the test thread on one call.
// Member order matters: the thread stops (abandoning coroutines) before the
// client they reference is destroyed.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "broker/cluster/cluster_thread.h"
#include "broker/cluster/etcd_client.h"
#include "tests/integration/etcd_process.h"

namespace strata::it {

// Client options for `endpoints` (a --etcd-endpoints list; throws if bad)
// whose log lines go into `sink`.
struct LogSink {
  void add(const std::string& line);
  [[nodiscard]] std::string text() const;
  [[nodiscard]] bool contains(const std::string& needle) const;
  [[nodiscard]] std::size_t size() const;
  // How many lines are exactly `line`.
  [[nodiscard]] std::size_t count(const std::string& line) const;

  mutable std::mutex mu;
  std::vector<std::string> lines;
};
[[nodiscard]] cluster::EtcdClientOptions client_options(const std::string& endpoints, LogSink& sink,
                                                        std::chrono::milliseconds request_timeout = 2s);

struct EtcdFixture {
  explicit EtcdFixture(std::chrono::milliseconds election_timeout = 200ms);
  template <typename T>
  T run(boost::asio::awaitable<T> op) {
    return thread.run(std::move(op));
  }
  // A second client on the same thread, with its own endpoint list.
  [[nodiscard]] std::unique_ptr<cluster::EtcdClient> make_client(const std::string& endpoints,
                                                                 std::chrono::milliseconds request_timeout = 2s);

  EtcdProcess etcd;
  LogSink log;
  std::unique_ptr<cluster::EtcdClient> client;
  cluster::ClusterThread thread;
};

}  // namespace strata::it
