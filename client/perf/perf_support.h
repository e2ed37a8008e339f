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

#include "strata/client.h"

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace strata::perf {

// steady_clock in nanoseconds: comparable across the threads of a process.
[[nodiscard]] inline std::int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A cheaper clock for timing every message: the TSC on x86-64 (~25 ns a
// read here, against ~75 ns for steady_clock under a VM's kvm-clock), else
// steady_clock ns. Only differences mean anything; TickRate turns them into
// ns. Assumes an invariant TSC synchronised across cores (constant_tsc,
// nonstop_tsc), as on current x86-64 hosts and KVM guests.
[[nodiscard]] inline std::int64_t ticks() noexcept {
#if defined(__x86_64__)
  return static_cast<std::int64_t>(__rdtsc());
#else
  return now_ns();
#endif
}

// Nanoseconds per tick, measured between construction and each call.
class TickRate {
 public:
  TickRate() noexcept : ns0_(now_ns()), t0_(ticks()) {}
  [[nodiscard]] double ns_per_tick() const noexcept {
    const std::int64_t dt = ticks() - t0_;
    return dt > 0 ? static_cast<double>(now_ns() - ns0_) / static_cast<double>(dt) : 1.0;
  }

 private:
  std::int64_t ns0_, t0_;
};

// The topic's partition count; creates it with `partitions` if missing.
// Says on stderr when an existing topic has another count.
std::uint32_t ensure_topic(Client& client, const std::string& topic, std::uint32_t partitions);

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
