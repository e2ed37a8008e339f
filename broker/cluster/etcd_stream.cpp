#include "broker/cluster/etcd_stream.h"

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/etcd_connect.h"

namespace strata::cluster {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

asio::awaitable<std::error_code> HttpLineStream::open(EtcdEndpoint ep, std::string target, std::string body,
                                                      std::chrono::milliseconds timeout, std::string& detail) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  boost::system::error_code ec = co_await connect_with_deadline(stream_, ep, deadline);
  if (ec) {
    detail = "etcd " + ep.text() + ": " + (ec == beast::error::timeout ? "connect timed out" : ec.message());
    co_return make_error_code(ClusterErrc::etcd_unreachable);
  }
  http::request<http::string_body> req = make_post(ep, std::move(target), std::move(body));
  stream_.expires_at(deadline);
  co_await http::async_write(stream_, req, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) {
    parser_.emplace();
    parser_->body_limit(boost::none);  // a watch's body never ends; next_line bounds each line
    co_await http::async_read_header(stream_, buffer_, *parser_, asio::redirect_error(asio::use_awaitable, ec));
  }
  if (ec) {
    detail = "etcd " + ep.text() + ": opening the watch failed: " + ec.message();
    co_return make_error_code(ClusterErrc::etcd_unreachable);
  }
  stream_.expires_never();
  if (parser_->get().result_int() != 200) {
    detail = "etcd " + ep.text() + ": watch answered HTTP " + std::to_string(parser_->get().result_int());
    co_return make_error_code(ClusterErrc::etcd_error);
  }
  co_return std::error_code{};
}

asio::awaitable<Result<std::string>> HttpLineStream::next_line(std::size_t max_line) {
  if (!parser_) co_return make_error_code(ClusterErrc::etcd_unreachable);
  char chunk[16 * 1024];
  for (;;) {
    if (const auto nl = pending_.find('\n'); nl != std::string::npos) {
      std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      co_return line;
    }
    if (pending_.size() > max_line) co_return make_error_code(ClusterErrc::response_too_large);
    if (parser_->is_done()) co_return make_error_code(ClusterErrc::etcd_unreachable);
    parser_->get().body().data = chunk;
    parser_->get().body().size = sizeof chunk;
    boost::system::error_code ec;
    co_await http::async_read_some(stream_, buffer_, *parser_, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::need_buffer) ec = {};
    const std::size_t got = sizeof chunk - parser_->get().body().size;
    pending_.append(chunk, got);
    if (ec) co_return make_error_code(ClusterErrc::etcd_unreachable);
  }
}

void HttpLineStream::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

}  // namespace strata::cluster
