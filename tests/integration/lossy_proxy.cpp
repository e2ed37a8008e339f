#include "tests/integration/lossy_proxy.h"

// The library's socket helper (write_all), not its API: a named exception of
// the public-headers check (tests/tools/public_headers_check.cmake), since a
// copy here would be a twin of it.
#include "client/socket_io.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <string>

namespace strata::it {

namespace {
sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}
}  // namespace

LossyProxy::LossyProxy(std::uint16_t upstream_port) : upstream_port_(upstream_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a = loopback(0);
  socklen_t len = sizeof a;
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listen_fd_, 64) != 0 || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    throw std::runtime_error("LossyProxy: cannot listen on 127.0.0.1: errno " + std::to_string(errno));
  }
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

LossyProxy::~LossyProxy() {
  stop_ = true;
  acceptor_.join();
  std::lock_guard lock(mu_);
  for (auto& t : links_) t.join();
  ::close(listen_fd_);
}

void LossyProxy::down() noexcept {
  down_ = true;
  ++generation_;
}

void LossyProxy::up() noexcept {
  drop_replies_ = false;
  down_ = false;
}

void LossyProxy::accept_loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    if (down_) {
      ::close(client);  // the broker is "unreachable"
      continue;
    }
    const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in a = loopback(upstream_port_);
    if (upstream < 0 || ::connect(upstream, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
      if (upstream >= 0) ::close(upstream);
      ::close(client);
      continue;
    }
    std::lock_guard lock(mu_);
    links_.emplace_back([this, client, upstream, g = generation_.load()] { forward(client, upstream, g); });
  }
}

void LossyProxy::forward(int client_fd, int upstream_fd, std::uint64_t generation) {
  std::array<std::uint8_t, 64 * 1024> buffer{};
  while (!stop_ && generation_ == generation) {
    std::array<pollfd, 2> p{{{client_fd, POLLIN, 0}, {upstream_fd, POLLIN, 0}}};
    if (::poll(p.data(), p.size(), kPollMs) <= 0) continue;
    bool open = true;
    for (std::size_t i = 0; i < p.size() && open; ++i) {
      if (p[i].revents == 0) continue;
      const int from = p[i].fd;
      const ssize_t n = ::recv(from, buffer.data(), buffer.size(), 0);
      if (n <= 0) {
        open = false;
        break;
      }
      if (from == upstream_fd && drop_replies_) continue;  // the reply is lost
      open = client::write_all(from == client_fd ? upstream_fd : client_fd, buffer.data(), static_cast<std::size_t>(n));
    }
    if (!open) break;
  }
  ::close(client_fd);
  ::close(upstream_fd);
}

}  // namespace strata::it
