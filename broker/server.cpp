#include "broker/server.h"

#include "broker/logger.h"
#include "broker/metrics.h"
#include "storage/storage_errc.h"

namespace strata::broker {

Server::Server(Broker& broker)
    : broker_(broker), acceptor_(broker.shard(0).context()), refusal_log_timer_(broker.shard(0).context()) {}

std::error_code Server::listen() {
  return open_listener(acceptor_, broker_.config().listen_host, broker_.config().listen_port);
}

std::error_code open_listener(tcp::acceptor& acceptor, const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) {  // a host name ("localhost"): its first IPv4 address, else its first
    tcp::resolver resolver(acceptor.get_executor());
    const auto found = resolver.resolve(host, std::to_string(port), ec);
    if (ec || found.empty()) return std::make_error_code(std::errc::invalid_argument);
    address = found.begin()->endpoint().address();
    for (const auto& entry : found) {
      if (!entry.endpoint().address().is_v4()) continue;
      address = entry.endpoint().address();
      break;
    }
  }
  const tcp::endpoint ep(address, port);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  return ec ? std::error_code(ec.value(), std::system_category()) : std::error_code{};
}

tcp::endpoint Server::endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void Server::start() { asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached); }

void Server::begin_shutdown() {
  asio::post(acceptor_.get_executor(), [this]() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    tracker_->drain_all();
  });
}

void Server::note_refusal(bool answered) {
  ++refused_since_log_;
  if (!answered) ++closed_since_log_;
  const auto now = std::chrono::steady_clock::now();
  if (!last_refusal_log_ || now - *last_refusal_log_ >= std::chrono::seconds(1)) {
    log_refusals(now);
    return;
  }
  // Within a second of the last line: counted, and told a second after it.
  if (refusal_log_armed_) return;
  refusal_log_armed_ = true;
  refusal_log_timer_.expires_at(*last_refusal_log_ + std::chrono::seconds(1));
  refusal_log_timer_.async_wait([this](const boost::system::error_code& ec) {
    refusal_log_armed_ = false;
    if (!ec && refused_since_log_ > 0) log_refusals(std::chrono::steady_clock::now());
  });
}

void Server::log_refusals(std::chrono::steady_clock::time_point now) {
  std::string line = "refused ";
  line += refused_since_log_ == 1 ? "a connection" : std::to_string(refused_since_log_) + " connections in the last second";
  line += ": at max.connections (" + std::to_string(broker_.config().max_connections) + ")";
  if (closed_since_log_ > 0) {
    line += "; " + std::to_string(closed_since_log_) + " of them closed unanswered (" +
            std::to_string(kMaxPendingRefusals) + " refusals were already waiting for a first request)";
  }
  line += "; raise max.connections or find the clients that open so many connections";
  log_warn(line);
  last_refusal_log_ = now;
  refused_since_log_ = 0;
  closed_since_log_ = 0;
}

bool Server::refuse(tcp::socket socket, Shard& target) {
  const bool answer = tracker_->refusing() < kMaxPendingRefusals;
  note_refusal(answer);
  if (!answer) {
    boost::system::error_code ec;
    socket.close(ec);
    return false;
  }
  auto connection = std::make_shared<Connection>(std::move(socket), broker_, target.id(), tracker_, true);
  tracker_->add(connection, true);
  asio::post(target.context(), [connection]() { connection->start(); });
  return true;
}

awaitable<void> Server::refuse_out_of_descriptors(Shard& target, const boost::system::error_code& accept_error) {
  bool answered = false;
  if (spare_.release()) {
    boost::system::error_code ec;
    acceptor_.non_blocking(true, ec);  // never block shard 0 if the connection went away
    tcp::socket socket = acceptor_.accept(target.context(), ec);
    if (!ec) answered = refuse(std::move(socket), target);
    (void)spare_.restore();
  }
  ++descriptor_refusals_;
  ++local_metrics().connections_refused_descriptors;
  const auto now = std::chrono::steady_clock::now();
  if (!last_descriptor_log_ || now - *last_descriptor_log_ >= std::chrono::seconds(1)) {
    log_warn("out of open files accepting connections (" + accept_error.message() + "): " +
             std::to_string(descriptor_refusals_) + " refused since the last such line" +
             (answered ? "" : ", this one unanswered (no spare descriptor)") +
             "; raise the open-file limit (LimitNOFILE=, ulimit -n) or lower max.connections or file.cache.size");
    last_descriptor_log_ = now;
    descriptor_refusals_ = 0;
  }
  // Back off: the pending connections stay queued, and spinning on them
  // would only burn shard 0 until a descriptor frees.
  asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(answered ? 1 : 50));
  boost::system::error_code ec;
  co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

awaitable<void> Server::accept_loop() {
  for (;;) {
    Shard& target = broker_.shard(next_shard_++ % broker_.shard_count());
    (void)spare_.restore();  // taken back once a descriptor is free
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(target.context(), asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (storage::is_out_of_descriptors(std::error_code(ec.value(), std::system_category()))) {
      co_await refuse_out_of_descriptors(target, ec);
      continue;
    }
    if (ec) {
      log_warn("accepting a connection failed: " + ec.message());
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    // The accept loop runs on shard 0: its metrics.
    if (tracker_->count() >= broker_.config().max_connections) {
      ++local_metrics().connections_refused_max;
      (void)refuse(std::move(socket), target);
      continue;
    }
    ++local_metrics().connections_accepted;
    auto connection = std::make_shared<Connection>(std::move(socket), broker_, target.id(), tracker_, false);
    tracker_->add(connection, false);
    asio::post(target.context(), [connection]() { connection->start(); });
  }
}

}  // namespace strata::broker
