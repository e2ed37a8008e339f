// Exponential backoff for CLI loops that ride out a broker restart
// (`strata consume --follow`, `strata perf latency`): 100 ms, doubling, at
// most 5 s; reset() after a success.
// Threads: one caller.
#pragma once

#include <algorithm>
#include <chrono>
#include <thread>

namespace strata::cli {

class Backoff {
 public:
  // The next wait, and doubles the one after.
  std::chrono::milliseconds next() {
    const auto wait = delay_;
    delay_ = std::min(delay_ * 2, kMax);
    return wait;
  }
  void reset() { delay_ = kFirst; }

  // Sleeps `wait` in short steps, returning early once stop() says so.
  template <typename Stop>
  static void sleep(std::chrono::milliseconds wait, Stop stop) {
    const auto until = std::chrono::steady_clock::now() + wait;
    while (!stop() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

 private:
  static constexpr std::chrono::milliseconds kFirst{100};
  static constexpr std::chrono::milliseconds kMax{5000};
  std::chrono::milliseconds delay_ = kFirst;
};

}  // namespace strata::cli
