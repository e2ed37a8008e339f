// A TCP proxy on a loopback port in front of a broker, for tests that need a
// reply lost, or the broker unreachable, at a moment they choose instead of
// racing a kill: it forwards both ways until told otherwise.
//
// Threads: one accepting, one per forwarded connection; the controls may be
// called from any thread. Every thread notices a change within kPollMs.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace strata::it {

class LossyProxy {
 public:
  static constexpr int kPollMs = 20;

  // Listens on an ephemeral 127.0.0.1 port; connections go to
  // 127.0.0.1:upstream_port. Throws std::runtime_error if it cannot listen.
  explicit LossyProxy(std::uint16_t upstream_port);
  ~LossyProxy();
  LossyProxy(const LossyProxy&) = delete;
  LossyProxy& operator=(const LossyProxy&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // From now on bytes from the broker are dropped; requests still reach it.
  void drop_replies() noexcept { drop_replies_ = true; }
  // Cuts every connection, and until up() closes each new one at once: to
  // the client the broker is unreachable.
  void down() noexcept;
  // Forwards again, both ways, on new connections.
  void up() noexcept;

 private:
  void accept_loop();
  void forward(int client_fd, int upstream_fd, std::uint64_t generation);

  std::uint16_t upstream_port_;
  std::uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<bool> drop_replies_{false};
  std::atomic<bool> down_{false};
  std::atomic<std::uint64_t> generation_{0};  // bumped by down(): older connections close
  std::mutex mu_;
  std::vector<std::thread> links_;
  std::thread acceptor_;
};

}  // namespace strata::it
