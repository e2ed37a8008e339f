// A long-lived POST whose answer is a stream of lines: etcd's /v3/watch
// sends one JSON object per line in a chunked body, for as long as the
// connection stays open.
//
// Threads: one coroutine on the cluster thread uses it; close() is called
// on that thread too and ends a pending next_line with an error.
#pragma once

#include "broker/runtime/asio.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "broker/cluster/etcd_endpoints.h"
#include "protocol/base/result.h"

namespace strata::cluster {

class HttpLineStream {
 public:
  explicit HttpLineStream(const boost::asio::any_io_executor& ex) : stream_(ex) {}

  // Connects, sends the POST and reads the answer's header, all within
  // `timeout`. A status other than 200 is etcd_error (detail says which).
  boost::asio::awaitable<std::error_code> open(EtcdEndpoint ep, std::string target, std::string body,
                                               std::chrono::milliseconds timeout, std::string& detail);

  // The next line of the body, without its '\n'. No timeout: a watch is
  // silent while nothing changes. A line above max_line bytes is
  // response_too_large; the end of the stream, a broken connection or
  // close() is etcd_unreachable.
  boost::asio::awaitable<Result<std::string>> next_line(std::size_t max_line);

  void close();

 private:
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::buffer_body>> parser_;
  std::string pending_;  // body bytes read but not yet returned as lines
};

}  // namespace strata::cluster
