// The listener: accepts on shard 0's thread and hands each socket to the
// next shard in turn (DESIGN decision 5), enforcing max.connections.
#pragma once

#include <optional>

#include "broker/runtime/asio.h"
#include "broker/core/broker.h"
#include "broker/net/connection.h"
#include "broker/net/spare_descriptor.h"

namespace strata::broker {

// Opens, binds (SO_REUSEADDR) and listens on host:port. A host that is not
// an IP address is resolved (e.g. "localhost") and its first IPv4 address
// used (else its first);
// one that does not resolve is invalid_argument.
[[nodiscard]] std::error_code open_listener(tcp::acceptor& acceptor, const std::string& host, std::uint16_t port);

class Server {
 public:
  explicit Server(Broker& broker);

  // Binds and listens; the bound endpoint is then known (port 0 picks one).
  [[nodiscard]] std::error_code listen();
  [[nodiscard]] tcp::endpoint endpoint() const;
  void start();
  // Stops accepting and asks every connection to finish and close.
  void begin_shutdown();
  [[nodiscard]] std::uint32_t connections() const noexcept { return tracker_->count(); }

 private:
  awaitable<void> accept_loop();
  // Out of descriptors (EMFILE/ENFILE): refuses one pending connection with
  // the spare descriptor's slot, logs at most once a second, and backs off.
  awaitable<void> refuse_out_of_descriptors(Shard& target, const boost::system::error_code& accept_error);
  // Hands a refused socket to a Connection that answers TOO_MANY_CONNECTIONS,
  // or closes it unanswered beyond kMaxPendingRefusals; false if closed.
  bool refuse(tcp::socket socket, Shard& target);
  // Logs refusals at most once a second (a flood must not flood the log):
  // the first after a quiet second at once, those within a second of a
  // line together a second after it. answered: false when it was closed
  // unanswered. Thread: the accept loop's (shard 0).
  void note_refusal(bool answered);
  void log_refusals(std::chrono::steady_clock::time_point now);

  // Refused connections wait up to 1 s for a first request to answer with
  // TOO_MANY_CONNECTIONS; beyond this many at once, the broker closes new
  // ones at once, so client descriptors number at most max.connections plus this.
  static constexpr std::uint32_t kMaxPendingRefusals = 64;

  Broker& broker_;
  tcp::acceptor acceptor_;
  std::shared_ptr<ConnectionTracker> tracker_ = std::make_shared<ConnectionTracker>();
  unsigned next_shard_ = 0;
  // Refusal log state; the accept loop's thread only. The timer's handler
  // runs on shard 0, which stops before this object is destroyed.
  asio::steady_timer refusal_log_timer_;
  bool refusal_log_armed_ = false;
  std::optional<std::chrono::steady_clock::time_point> last_refusal_log_;
  std::uint32_t refused_since_log_ = 0;
  std::uint32_t closed_since_log_ = 0;
  SpareDescriptor spare_;
  std::optional<std::chrono::steady_clock::time_point> last_descriptor_log_;
  std::uint32_t descriptor_refusals_ = 0;  // since that log line
};

}  // namespace strata::broker
