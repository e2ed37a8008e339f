// A listener: accepts on one endpoint, on shard 0's thread, and hands each
// socket to the next shard in turn (DESIGN decision 5) as a Connection
// speaking the listener's codec. A second front door is a second Listener
// with another codec (wire_codec.h). Every listener of a broker shares one
// ConnectionTracker, so max.connections bounds them together.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "broker/core/broker.h"
#include "broker/net/connection.h"
#include "broker/net/refusal_log.h"
#include "broker/net/spare_descriptor.h"
#include "broker/net/wire_codec.h"
#include "broker/runtime/asio.h"

namespace strata::broker {

// Opens, binds (SO_REUSEADDR) and listens on host:port. A host that is not
// an IP address is resolved (e.g. "localhost") and its first IPv4 address
// used (else its first); one that does not resolve is invalid_argument.
[[nodiscard]] std::error_code open_listener(tcp::acceptor& acceptor, const std::string& host, std::uint16_t port);

class Listener {
 public:
  // codec: outlives the listener and its connections.
  Listener(Broker& broker, const WireCodec& codec, std::string host, std::uint16_t port,
           std::shared_ptr<ConnectionTracker> tracker);

  // Binds and listens; the bound endpoint is then known (port 0 picks one).
  [[nodiscard]] std::error_code listen();
  [[nodiscard]] tcp::endpoint endpoint() const;
  void start();
  // Stops accepting and asks every connection to finish and close.
  void begin_shutdown();
  [[nodiscard]] std::uint32_t connections() const noexcept { return tracker_->count(); }

  // Refused connections wait up to 1 s for a first request to answer with
  // the codec's refusal; beyond this many at once, the broker closes new
  // ones at once, so client descriptors number at most max.connections plus this.
  static constexpr std::uint32_t kMaxPendingRefusals = 64;

 private:
  awaitable<void> accept_loop();
  // Out of descriptors (EMFILE/ENFILE): refuses one pending connection with
  // the spare descriptor's slot, logs at most once a second, and backs off.
  awaitable<void> refuse_out_of_descriptors(Shard& target, const boost::system::error_code& accept_error);
  // Hands a refused socket to a Connection that answers with the codec's
  // refusal, or closes it unanswered beyond kMaxPendingRefusals; false if closed.
  bool refuse(tcp::socket socket, Shard& target);
  void serve(tcp::socket socket, Shard& target, bool refuse);

  Broker& broker_;
  const WireCodec& codec_;
  std::string host_;
  std::uint16_t port_;
  tcp::acceptor acceptor_;
  std::shared_ptr<ConnectionTracker> tracker_;  // shared: connections may outlive the listener
  unsigned next_shard_ = 0;
  RefusalLog refusals_;  // the accept loop's thread only
  SpareDescriptor spare_;
  std::optional<std::chrono::steady_clock::time_point> last_descriptor_log_;
  std::uint32_t descriptor_refusals_ = 0;  // since that log line
};

}  // namespace strata::broker
