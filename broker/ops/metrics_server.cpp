#include "broker/ops/metrics_server.h"

#include <sys/resource.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

#include "broker/net/descriptor_budget.h"
#include "broker/runtime/logger.h"
#include "broker/ops/metrics_snapshot.h"
#include "broker/net/listener.h"
#include "strata/build_info.h"

namespace strata::broker {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

std::uint64_t soft_fd_limit() {
  rlimit r{};
  return ::getrlimit(RLIMIT_NOFILE, &r) == 0 ? static_cast<std::uint64_t>(r.rlim_cur) : 0;
}

http::response<http::string_body> reply(const http::request<http::string_body>& req, http::status status,
                                        std::string body, std::string_view type = "text/plain; charset=utf-8") {
  http::response<http::string_body> res{status, req.version()};
  res.set(http::field::server, "strata-broker");
  res.set(http::field::content_type, boost::string_view(type.data(), type.size()));
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace

MetricsServer::MetricsServer(Broker& broker, std::function<std::uint32_t()> connections_open,
                             std::uint64_t fds_budget)
    : broker_(broker),
      connections_open_(std::move(connections_open)),
      fds_budget_(fds_budget),
      start_time_(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count()),
      acceptor_(context_) {}

MetricsServer::~MetricsServer() { stop(); }

std::error_code MetricsServer::listen() {
  return open_listener(acceptor_, broker_.config().metrics_listen_host, broker_.config().metrics_listen_port);
}

tcp::endpoint MetricsServer::endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void MetricsServer::start() {
  asio::co_spawn(context_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { context_.run(); });
}

void MetricsServer::stop() {
  if (!thread_.joinable()) return;
  asio::post(context_, [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
  });
  context_.stop();
  thread_.join();
}

awaitable<void> MetricsServer::accept_loop() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (!acceptor_.is_open()) co_return;
    if (ec) {
      // Out of descriptors or similar: back off rather than spin.
      asio::steady_timer pause(context_, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (open_ >= kMetricsMaxConnections) {
      socket.close(ec);  // bounded: a scraper retries
      continue;
    }
    ++open_;
    asio::co_spawn(context_, serve(std::move(socket)), asio::detached);
  }
}

awaitable<void> MetricsServer::serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    stream.expires_after(std::chrono::seconds(first ? 10 : 30));
    boost::system::error_code ec;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    const auto& req = parser.get();
    const std::string_view target(req.target().data(), req.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    http::response<http::string_body> res;
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      res = reply(req, http::status::method_not_allowed, "use GET\n");
    } else if (path == "/metrics") {
      res = reply(req, http::status::ok, co_await render(), "text/plain; version=0.0.4; charset=utf-8");
    } else if (path == "/healthz") {
      res = reply(req, http::status::ok, "ok\n");
    } else if (path == "/readyz") {
      res = ready_.load() ? reply(req, http::status::ok, "ready\n")
                          : reply(req, http::status::service_unavailable,
                                  "not ready: recovering partitions at start, or shutting down\n");
    } else {
      res = reply(req, http::status::not_found, "not found; try /metrics, /healthz or /readyz\n");
    }
    stream.expires_after(std::chrono::seconds(30));
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !res.keep_alive()) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  --open_;
}

awaitable<std::string> MetricsServer::render() {
  ProcessSample process;
  process.version = kVersion;
  process.commit = kGitCommit;
  process.ready = ready_.load();
  process.start_time_seconds = start_time_;
  process.recovery_seconds = recovery_seconds_.load();
  process.connections_open = connections_open_ ? connections_open_() : 0;
  process.fds_open = open_descriptors();
  process.fds_limit = soft_fd_limit();
  process.fds_budget = fds_budget_;
  std::vector<ShardSample> shards;
  // The shards run only once ready (and until the server stops, before they do).
  if (process.ready) {
    for (unsigned s = 0; s < broker_.shard_count(); ++s) {
      Shard& shard = broker_.shard(s);
      shards.push_back(co_await asio::co_spawn(shard.context(), sample_shard(shard), asio::use_awaitable));
    }
  }
  co_return render_metrics(process, shards, broker_.config().metrics_partition_level);
}

}  // namespace strata::broker
