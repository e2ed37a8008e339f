#include "broker/cluster/etcd_http.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/etcd_connect.h"

namespace strata::cluster {

namespace beast = boost::beast;
namespace http = beast::http;

awaitable<PostResult> http_post(EtcdEndpoint ep, std::string target, std::string body,
                                std::chrono::milliseconds timeout, std::size_t max_body) {
  PostResult out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  boost::system::error_code ec = co_await connect_with_deadline(stream, ep, deadline);
  if (ec) {
    out.error = ClusterErrc::etcd_unreachable;
    out.detail = "etcd " + ep.text() + ": " + (ec == beast::error::timeout ? "connect timed out" : ec.message());
    co_return out;
  }
  http::request<http::string_body> req = make_post(ep, std::move(target), std::move(body));
  stream.expires_at(deadline);
  co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    out.error = ClusterErrc::etcd_unreachable;
    out.detail = "etcd " + ep.text() + ": sending failed: " + ec.message();
    co_return out;
  }
  out.sent = true;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body);
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (ec == http::error::body_limit) {
      out.error = ClusterErrc::response_too_large;
      out.detail = "etcd " + ep.text() + ": answer larger than " + std::to_string(max_body) + " bytes";
    } else if (ec == beast::error::timeout) {
      out.error = ClusterErrc::etcd_timeout;
      out.detail = "etcd " + ep.text() + ": no answer within " + std::to_string(timeout.count()) + " ms";
    } else {
      out.error = ClusterErrc::etcd_unreachable;
      out.detail = "etcd " + ep.text() + ": reading the answer failed: " + ec.message();
    }
    co_return out;
  }
  out.answer.status = parser.get().result_int();
  out.answer.body = std::move(parser.get().body());
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  co_return out;
}

}  // namespace strata::cluster
