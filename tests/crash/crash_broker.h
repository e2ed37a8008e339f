// The broker under the crash test: a real strata-broker (BrokerProcess)
// on one fixed loopback port and one data directory, so that clients
// reconnect to the same address after every kill. Keeps the log of every
// run it started, for failure reports.
//
// Threads: the main thread only (a child dies with the thread that forked
// it, PR_SET_PDEATHSIG).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/integration/broker_process.h"

namespace strata::crash {

class CrashBroker {
 public:
  // Picks a free loopback port and starts the first run; `extra_args` go to
  // every run (cluster mode: node id, etcd endpoints). With `netns` (a
  // NetLab host's namespace) it runs there, listening on `host`.
  CrashBroker(std::filesystem::path data_dir, std::chrono::milliseconds start_timeout,
              std::vector<std::string> extra_args = {}, std::string netns = {}, std::string host = "127.0.0.1");
  ~CrashBroker();
  CrashBroker(const CrashBroker&) = delete;
  CrashBroker& operator=(const CrashBroker&) = delete;

  [[nodiscard]] std::string address() const { return host_ + ":" + std::to_string(port_); }
  // Starts a run; throws std::runtime_error (with its log) if it does not
  // come up. REQUIRES: no run is alive.
  void start();
  // SIGKILL; returns once the child is reaped.
  void kill();
  // SIGSTOP / SIGCONT of the live run (a paused process: it holds its
  // sockets and files but answers nothing, renews no lease).
  void pause();
  void resume();
  // SIGTERM; returns whether it exited 0.
  bool stop_clean();

  // Start-up time of the last run, and the bytes its recovery scanned and
  // truncated ("scanned N bytes, truncated M", summed over topics).
  [[nodiscard]] std::chrono::milliseconds last_start_time() const noexcept { return last_start_; }
  [[nodiscard]] std::uint64_t last_scanned_bytes() const { return sum_of_loaded("scanned "); }
  [[nodiscard]] std::uint64_t last_truncated_bytes() const { return sum_of_loaded("truncated "); }
  [[nodiscard]] std::chrono::milliseconds slowest_start_time() const noexcept { return slowest_start_; }
  [[nodiscard]] std::uint32_t runs() const noexcept { return runs_; }
  // Every run's log, each under a "=== run N ===" line.
  [[nodiscard]] std::string history() const;

 private:
  void retire();  // keeps the finished run's log
  // The numbers after `marker` in the live run's "loaded topic" lines, summed.
  [[nodiscard]] std::uint64_t sum_of_loaded(std::string_view marker) const;

  std::filesystem::path data_dir_;
  std::chrono::milliseconds start_timeout_;
  std::vector<std::string> extra_args_;
  std::string netns_;
  std::string host_;
  std::uint16_t port_ = 0;
  std::unique_ptr<it::BrokerProcess> process_;
  std::string history_;
  std::uint32_t runs_ = 0;
  std::chrono::milliseconds last_start_{0};
  std::chrono::milliseconds slowest_start_{0};
};

}  // namespace strata::crash
