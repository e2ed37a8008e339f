// Log lines for connections refused at max.connections, at most one a
// second so a flood cannot flood the log: the first refusal after a quiet
// second is logged at once, those within a second of a line together a
// second after it.
//
// Threads: the accept loop's only; the timer's handler runs on that
// executor, which stops before this object is destroyed.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "broker/runtime/asio.h"

namespace strata::broker {

class RefusalLog {
 public:
  // max_connections and pending_limit appear in the lines.
  RefusalLog(asio::any_io_executor executor, std::uint32_t max_connections, std::uint32_t pending_limit)
      : timer_(executor), max_connections_(max_connections), pending_limit_(pending_limit) {}

  // One refusal; answered: false when it was closed unanswered.
  void note(bool answered);

 private:
  void log(std::chrono::steady_clock::time_point now);

  asio::steady_timer timer_;
  std::uint32_t max_connections_;
  std::uint32_t pending_limit_;
  bool armed_ = false;
  std::optional<std::chrono::steady_clock::time_point> last_line_;
  std::uint32_t refused_ = 0;  // since the last line
  std::uint32_t closed_ = 0;   // of those, closed unanswered
};

}  // namespace strata::broker
