#include "broker/cluster/etcd_connect.h"

namespace strata::cluster {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

asio::awaitable<boost::system::error_code> connect_with_deadline(beast::tcp_stream& stream, const EtcdEndpoint& ep,
                                                                 std::chrono::steady_clock::time_point deadline) {
  boost::system::error_code ec;
  asio::ip::tcp::resolver resolver(co_await asio::this_coro::executor);
  auto results = co_await resolver.async_resolve(ep.host, std::to_string(ep.port),
                                                 asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return ec;
  stream.expires_at(deadline);
  co_await stream.async_connect(results, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) stream.socket().set_option(asio::ip::tcp::no_delay(true), ec);
  co_return ec;
}

http::request<http::string_body> make_post(const EtcdEndpoint& ep, std::string target, std::string body) {
  http::request<http::string_body> req{http::verb::post, std::move(target), 11};
  req.set(http::field::host, ep.text());
  req.set(http::field::content_type, "application/json");
  req.keep_alive(false);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

}  // namespace strata::cluster
