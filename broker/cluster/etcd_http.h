// The HTTP under the etcd client: one POST on a fresh connection to one
// endpoint, bounded in time and in answer size (Boost.Beast). Failover
// between endpoints is the caller's (etcd_client.cpp).
//
// Threads: a coroutine on the cluster thread's executor.
#pragma once

#include "broker/runtime/asio.h"

#include <chrono>
#include <cstddef>
#include <string>
#include <system_error>

#include "broker/cluster/etcd_endpoints.h"

namespace strata::cluster {

namespace asio = boost::asio;
using asio::awaitable;

struct HttpAnswer {
  unsigned status = 0;
  std::string body;
};

struct PostResult {
  // etcd_unreachable (no answer), etcd_timeout (sent, no answer in time),
  // response_too_large; empty when `answer` holds etcd's answer, whatever
  // its status.
  std::error_code error;
  // The request was written whole: etcd may have applied it even when no
  // answer came. A caller retries a non-idempotent call only if !sent.
  bool sent = false;
  HttpAnswer answer;
  std::string detail;  // for the log: which endpoint, what failed
};

// POSTs `body` (JSON) to http://ep/target. The whole call, connection
// included, ends within `timeout`; an answer body above `max_body` bytes
// is response_too_large.
awaitable<PostResult> http_post(EtcdEndpoint ep, std::string target, std::string body,
                                std::chrono::milliseconds timeout, std::size_t max_body);

}  // namespace strata::cluster
