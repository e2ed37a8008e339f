// The operations listener (metrics.listen, default 127.0.0.1:9644): HTTP/1.1
// with Boost.Beast on its own thread and event loop, off the data path.
//
//   GET /metrics  the Prometheus text exposition (metrics_snapshot.h)
//   GET /healthz  200 "ok" while the process runs
//   GET /readyz   200 once recovery finished and clients are accepted
//                 (set_ready), 503 before that and while shutting down
//
// A scrape posts one task to each shard, which copies its counters and
// partition figures; nothing on the data path waits for the scrape. Before
// the broker is ready the shards do not run, so /metrics then has only the
// process-wide figures. Bounds: kMetricsMaxConnections connections at once
// (more are closed), request headers of 8 KiB and bodies of 64 KiB (Beast's
// parser limits), 10 s to send a request, 30 s idle on a kept-alive one.
//
// Threads: listen()/start()/stop() from main; set_ready from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "broker/runtime/asio.h"
#include "broker/core/broker.h"

namespace strata::broker {

class MetricsServer {
 public:
  // connections_open: the client listener's count (Listener::connections).
  MetricsServer(Broker& broker, std::function<std::uint32_t()> connections_open, std::uint64_t fds_budget);
  ~MetricsServer();

  // Binds broker.config().metrics_listen; the endpoint is then known.
  [[nodiscard]] std::error_code listen();
  [[nodiscard]] tcp::endpoint endpoint() const;
  void start();
  void stop();  // closes the listener and every connection, joins the thread
  void set_ready(bool ready) noexcept { ready_.store(ready); }
  void set_recovery_seconds(double s) noexcept { recovery_seconds_.store(s); }

 private:
  awaitable<void> accept_loop();
  awaitable<void> serve(tcp::socket socket);
  awaitable<std::string> render();

  Broker& broker_;
  std::function<std::uint32_t()> connections_open_;
  std::uint64_t fds_budget_;
  double start_time_;
  asio::io_context context_{1};
  tcp::acceptor acceptor_;
  std::thread thread_;
  unsigned open_ = 0;  // connections being served; this thread only
  std::atomic<bool> ready_{false};
  std::atomic<double> recovery_seconds_{0};
};

}  // namespace strata::broker
