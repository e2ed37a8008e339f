#include "tests/integration/etcd_process.h"

#include <csignal>
#include <filesystem>
#include <stdexcept>

namespace strata::it {

namespace {
constexpr const char* kEtcdBinary = "/usr/bin/etcd";
}  // namespace

bool etcd_installed() { return std::filesystem::exists(kEtcdBinary); }

EtcdProcess::EtcdProcess(std::chrono::milliseconds ready_timeout, std::chrono::milliseconds election_timeout,
                         std::string also_on)
    : election_timeout_(election_timeout), also_on_(std::move(also_on)) {
  client_port_ = free_port();
  peer_port_ = free_port();
  for (int i = 0; i < 10 && peer_port_ == client_port_; ++i) peer_port_ = free_port();
  start(ready_timeout);
}

EtcdProcess::~EtcdProcess() {
  if (child_) kill9();
}

std::string EtcdProcess::endpoint() const { return endpoint_on("127.0.0.1"); }

std::string EtcdProcess::endpoint_on(const std::string& host) const {
  return "http://" + host + ":" + std::to_string(client_port_);
}

pid_t EtcdProcess::pid() const noexcept { return child_ ? child_->pid() : -1; }

void EtcdProcess::start(std::chrono::milliseconds ready_timeout) {
  const std::string client = endpoint();
  const std::string listen = also_on_.empty() ? client : client + "," + endpoint_on(also_on_);
  const std::string peer = "http://127.0.0.1:" + std::to_string(peer_port_);
  child_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      kEtcdBinary, "--name", "n0", "--data-dir", (dir_.path() / "data").string(), "--listen-client-urls", listen,
      "--advertise-client-urls", client, "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
      "--initial-cluster", "n0=" + peer, "--heartbeat-interval", std::to_string(election_timeout_.count() / 10), "--election-timeout",
      std::to_string(election_timeout_.count())});
  if (!child_->wait_for_err("ready to serve client requests", ready_timeout)) {
    const std::string err = child_->err();
    kill9();
    throw std::runtime_error("etcd did not become ready; its log:\n" + err);
  }
}

void EtcdProcess::kill9() {
  if (!child_) return;
  child_->signal(SIGKILL);
  const ProcessResult r = child_->wait(10s);
  old_logs_ += r.err;
  child_.reset();
}

void EtcdProcess::restart(std::chrono::milliseconds ready_timeout) {
  kill9();
  start(ready_timeout);
}

std::string EtcdProcess::log() const { return old_logs_ + (child_ ? child_->err() : std::string()); }

}  // namespace strata::it
