// The listener: accepts on shard 0's thread and hands each socket to the
// next shard in turn (DESIGN decision 5), enforcing max.connections.
#pragma once

#include "broker/asio.h"
#include "broker/broker.h"
#include "broker/connection.h"

namespace strata::broker {

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

  Broker& broker_;
  tcp::acceptor acceptor_;
  std::shared_ptr<ConnectionTracker> tracker_ = std::make_shared<ConnectionTracker>();
  unsigned next_shard_ = 0;
};

}  // namespace strata::broker
