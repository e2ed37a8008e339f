// Plumbing shared by the perf benches: creating the bench topic, running
// worker threads that rethrow on the caller, a monotonic clock in
// nanoseconds, and the live progress line on stderr.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "client/client.h"

namespace strata::perf {

// steady_clock in nanoseconds: comparable across the threads of a process.
[[nodiscard]] inline std::int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The topic's partition count; creates it with `partitions` if missing.
// Says on stderr when an existing topic has another count.
std::uint32_t ensure_topic(client::Client& client, const std::string& topic, std::uint32_t partitions);

// Runs work(0..n-1) on n threads and joins them all; then rethrows the
// first exception any of them threw.
void run_workers(std::uint32_t n, const std::function<void(std::uint32_t)>& work);

// "\r"-updated progress on stderr, every 250 ms, only when stderr is a
// terminal. done() is called on the progress thread: it must be safe there.
class Progress {
 public:
  Progress(std::string what, std::uint64_t total, std::function<std::uint64_t()> done);
  // Stops the thread and clears the line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

 private:
  void run();

  std::string what_;
  std::uint64_t total_;
  std::function<std::uint64_t()> done_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace strata::perf
