// Wall-clock milliseconds, injectable so roll and retention tests need no
// sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace strata::storage {

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual std::int64_t now_ms() const noexcept = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] std::int64_t now_ms() const noexcept override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
  static SystemClock& instance() noexcept {
    static SystemClock clock;
    return clock;
  }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_ms = 1'700'000'000'000) noexcept : now_(start_ms) {}
  [[nodiscard]] std::int64_t now_ms() const noexcept override { return now_.load(); }
  void advance(std::int64_t ms) noexcept { now_ += ms; }
  void set(std::int64_t ms) noexcept { now_ = ms; }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace strata::storage
