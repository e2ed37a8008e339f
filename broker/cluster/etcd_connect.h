// Connecting to one etcd endpoint and the POST request both the unary
// calls (etcd_http.h) and the watch stream (etcd_stream.h) send.
// Threads: coroutines on the cluster thread's executor.
#pragma once

#include "broker/runtime/asio.h"

#include <chrono>
#include <string>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "broker/cluster/etcd_endpoints.h"

namespace strata::cluster {

// Resolves and connects `stream` by `deadline` (beast::error::timeout
// after it). Name resolution of a host name is not cancellable by the
// deadline (getaddrinfo); addresses resolve at once.
boost::asio::awaitable<boost::system::error_code> connect_with_deadline(
    boost::beast::tcp_stream& stream, const EtcdEndpoint& ep, std::chrono::steady_clock::time_point deadline);

// POST target HTTP/1.1 with a JSON body, Host set, connection close.
[[nodiscard]] boost::beast::http::request<boost::beast::http::string_body> make_post(const EtcdEndpoint& ep,
                                                                                     std::string target,
                                                                                     std::string body);

}  // namespace strata::cluster
