#include "broker/net/listener.h"

#include "broker/runtime/logger.h"
#include "broker/ops/metrics.h"
#include "storage/storage_errc.h"

namespace strata::broker {

Listener::Listener(Broker& broker, const WireCodec& codec, std::string host, std::uint16_t port,
                   std::shared_ptr<ConnectionTracker> tracker)
    : broker_(broker),
      codec_(codec),
      host_(std::move(host)),
      port_(port),
      acceptor_(broker.shard(0).context()),
      tracker_(std::move(tracker)),
      refusals_(broker.shard(0).context().get_executor(), broker.config().max_connections, kMaxPendingRefusals) {}

std::error_code Listener::listen() { return open_listener(acceptor_, host_, port_); }

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

tcp::endpoint Listener::endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void Listener::start() { asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached); }

void Listener::begin_shutdown() {
  asio::post(acceptor_.get_executor(), [this]() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    tracker_->drain_all();
  });
}

bool Listener::refuse(tcp::socket socket, Shard& target) {
  const bool answer = tracker_->refusing() < kMaxPendingRefusals;
  refusals_.note(answer);
  if (!answer) {
    boost::system::error_code ec;
    socket.close(ec);
    return false;
  }
  serve(std::move(socket), target, true);
  return true;
}

void Listener::serve(tcp::socket socket, Shard& target, bool refuse) {
  auto connection = std::make_shared<Connection>(std::move(socket), broker_, codec_, target.id(), tracker_, refuse);
  tracker_->add(connection, refuse);
  asio::post(target.context(), [connection]() { connection->start(); });
}

awaitable<void> Listener::refuse_out_of_descriptors(Shard& target, const boost::system::error_code& accept_error) {
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

awaitable<void> Listener::accept_loop() {
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
      log_warn(std::string(codec_.name()) + " listener: accepting a connection failed: " + ec.message());
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
    serve(std::move(socket), target, false);
  }
}

}  // namespace strata::broker
