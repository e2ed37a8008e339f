#include "client/cli/metrics_text.h"

#include <utility>  // before Asio (Boost 1.74 trap)

#include <boost/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cmath>
#include <exception>
#include <optional>

namespace strata::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

asio::awaitable<HttpReply> get(std::string host, std::string port, std::string path,
                               std::chrono::milliseconds timeout) {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  beast::tcp_stream stream(executor);
  stream.expires_after(timeout);
  const auto endpoints = co_await resolver.async_resolve(host, port, asio::use_awaitable);
  co_await stream.async_connect(endpoints, asio::use_awaitable);
  http::request<http::empty_body> req{http::verb::get, path, 11};
  req.set(http::field::host, host);
  req.set(http::field::user_agent, "strata");
  co_await http::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256u << 20);  // a scrape of very many partitions
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  boost::system::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  co_return HttpReply{static_cast<int>(parser.get().result_int()), std::move(parser.get().body())};
}

}  // namespace

HttpReply http_get(const std::string& host_port, const std::string& path, std::chrono::milliseconds timeout) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw HttpError("'" + host_port + "' is not HOST:PORT");
  }
  asio::io_context io;
  std::optional<HttpReply> reply;
  std::exception_ptr error;
  asio::co_spawn(io, get(host_port.substr(0, colon), host_port.substr(colon + 1), path, timeout),
                 [&](std::exception_ptr e, HttpReply r) {
                   error = e;
                   if (!e) reply = std::move(r);
                 });
  io.run();
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      throw HttpError("GET http://" + host_port + path + ": " + e.what() +
                      " (is the broker's metrics.listen there?)");
    }
  }
  return std::move(*reply);
}

std::string MetricSample::label(const std::string& key) const {
  auto it = labels.find(key);
  return it == labels.end() ? std::string() : it->second;
}

namespace {

// `name{a="x",b="y"} value`: the labels part from just after '{'; returns
// the position after '}', or npos if malformed.
std::size_t parse_labels(std::string_view line, std::size_t at, std::map<std::string, std::string>& out) {
  while (at < line.size() && line[at] != '}') {
    const auto eq = line.find('=', at);
    if (eq == std::string_view::npos || eq + 1 >= line.size() || line[eq + 1] != '"') return std::string_view::npos;
    std::string key(line.substr(at, eq - at));
    std::string value;
    std::size_t i = eq + 2;
    for (; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        ++i;
        value += line[i] == 'n' ? '\n' : line[i];
      } else {
        value += line[i];
      }
    }
    if (i >= line.size()) return std::string_view::npos;
    out[std::move(key)] = std::move(value);
    at = i + 1;
    if (at < line.size() && line[at] == ',') ++at;
  }
  return at < line.size() ? at + 1 : std::string_view::npos;
}

}  // namespace

std::vector<MetricSample> parse_metrics(std::string_view text) {
  std::vector<MetricSample> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line[0] == '#') continue;
    MetricSample s;
    std::size_t at = line.find_first_of("{ ");
    if (at == std::string_view::npos) continue;
    s.name = std::string(line.substr(0, at));
    if (line[at] == '{') {
      at = parse_labels(line, at + 1, s.labels);
      if (at == std::string_view::npos) continue;
    }
    while (at < line.size() && line[at] == ' ') ++at;
    const std::string_view value = line.substr(at, line.find(' ', at) - at);
    if (value == "+Inf") {
      s.value = HUGE_VAL;
    } else if (std::from_chars(value.data(), value.data() + value.size(), s.value).ec != std::errc()) {
      continue;
    }
    out.push_back(std::move(s));
  }
  return out;
}

double metric_sum(const std::vector<MetricSample>& samples, std::string_view name,
                  const std::map<std::string, std::string>& labels) {
  double sum = 0;
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : labels) match = match && s.label(k) == v;
    if (match) sum += s.value;
  }
  return sum;
}

}  // namespace strata::cli
