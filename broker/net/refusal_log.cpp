#include "broker/net/refusal_log.h"

#include <string>

#include "broker/runtime/logger.h"

namespace strata::broker {

void RefusalLog::note(bool answered) {
  ++refused_;
  if (!answered) ++closed_;
  const auto now = std::chrono::steady_clock::now();
  if (!last_line_ || now - *last_line_ >= std::chrono::seconds(1)) {
    log(now);
    return;
  }
  // Within a second of the last line: counted, and told a second after it.
  if (armed_) return;
  armed_ = true;
  timer_.expires_at(*last_line_ + std::chrono::seconds(1));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    armed_ = false;
    if (!ec && refused_ > 0) log(std::chrono::steady_clock::now());
  });
}

void RefusalLog::log(std::chrono::steady_clock::time_point now) {
  std::string line = "refused ";
  line += refused_ == 1 ? "a connection" : std::to_string(refused_) + " connections in the last second";
  line += ": at max.connections (" + std::to_string(max_connections_) + ")";
  if (closed_ > 0) {
    line += "; " + std::to_string(closed_) + " of them closed unanswered (" + std::to_string(pending_limit_) +
            " refusals were already waiting for a first request)";
  }
  line += "; raise max.connections or find the clients that open so many connections";
  log_warn(line);
  last_line_ = now;
  refused_ = 0;
  closed_ = 0;
}

}  // namespace strata::broker
