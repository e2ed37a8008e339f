// A process holding one ClusterNode, for tests that kill -9 it:
//   cluster-node-child ETCD_ENDPOINTS NODE_ID DATA_DIR LEASE_TTL_S
// Prints "joined lease=<id>" (or "refused: <why>" and exits 2), then
// stays in the cluster until killed, at most 120 s.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "broker/cluster/cluster_node.h"
#include "storage/data_dir_format.h"
#include "storage/posix_file_system.h"

int main(int argc, char** argv) {
  using namespace strata;
  if (argc != 5) {
    std::cerr << "usage: cluster-node-child ETCD_ENDPOINTS NODE_ID DATA_DIR LEASE_TTL_S\n";
    return 1;
  }
  storage::PosixFileSystem fs;
  const storage::fs::path dir(argv[3]);
  if (fs.create_directories(dir) || !storage::check_data_dir(fs, dir)) {
    std::cout << "refused: cannot prepare " << dir << std::endl;
    return 2;
  }
  std::string why;
  auto checked = cluster::check_cluster_options({std::atoll(argv[2]), argv[1], "strata", std::atoll(argv[4])}, why);
  if (!checked) {
    std::cout << "refused: " << why << std::endl;
    return 2;
  }
  cluster::ClusterNodeOptions o;
  o.cluster = std::move(checked).value();
  o.endpoints = {{"strata", "127.0.0.1", 9092}};
  o.fs = &fs;
  o.data_dir = dir;
  o.log = [](const std::string& line) { std::cerr << line << std::endl; };
  auto node = cluster::ClusterNode::start(std::move(o), why);
  if (!node) {
    std::cout << "refused: " << why << std::endl;
    return 2;
  }
  std::cout << "joined" << std::endl;
  std::this_thread::sleep_for(std::chrono::seconds(120));
  return 0;
}
