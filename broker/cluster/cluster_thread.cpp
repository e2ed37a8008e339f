#include "broker/cluster/cluster_thread.h"

namespace strata::cluster {

ClusterThread::ClusterThread() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}

ClusterThread::~ClusterThread() { stop(); }

void ClusterThread::stop() {
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace strata::cluster
