// strata's etcd v3 client, over etcd's JSON/HTTP gateway (DESIGN decision
// 13; README "Cluster mode" says why not gRPC).
//
// Contract:
// - Threads: the client lives on the cluster thread (cluster_thread.h),
//   never a shard's. Every member is called, and every awaitable
//   co_awaited, on the executor given to the constructor, which must run
//   on one thread. Shards reach it by posting there (ClusterThread::spawn).
// - Time: every call ends within endpoints × request_timeout (one attempt
//   per endpoint), with a ClusterErrc when etcd did not answer.
// - Size: an answer above max_response_bytes is response_too_large.
// - Failover: calls go to the endpoint that last answered; one that does
//   not answer (or answers "unavailable": no etcd leader) is skipped for
//   the next. A call whose request was sent but not answered is retried on
//   the next endpoint only if it is idempotent (range, keepalive, revoke);
//   put, delete and txn then fail with etcd_timeout: the caller re-reads.
// - Cancellation: none per call; stopping the cluster thread abandons
//   calls in flight (their continuations are destroyed, never run).
// - Errors: values (ClusterErrc); the detail (endpoint, etcd's message) is
//   kept in last_error_detail() and given to options.log, the same line at
//   most once per 10 s while etcd stays out of reach (then one line when it
//   answers again), so a dead etcd does not flood the broker's log.
#pragma once

#include "broker/runtime/asio.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "broker/cluster/etcd_endpoints.h"
#include "broker/cluster/etcd_types.h"
#include "protocol/base/result.h"

namespace strata::cluster {

struct PostResult;

struct EtcdClientOptions {
  std::vector<EtcdEndpoint> endpoints;  // REQUIRES: not empty
  std::chrono::milliseconds request_timeout{2000};
  std::size_t max_response_bytes = 64u << 20;
  // Called (on the cluster thread) with one line per failed attempt.
  std::function<void(const std::string&)> log;
};

class EtcdClient {
 public:
  EtcdClient(boost::asio::any_io_executor ex, EtcdClientOptions options);

  [[nodiscard]] const boost::asio::any_io_executor& executor() const noexcept { return ex_; }
  [[nodiscard]] const EtcdClientOptions& options() const noexcept { return options_; }

  boost::asio::awaitable<Result<etcd::RangeResult>> range(etcd::RangeRequest r);
  // The store's revision after the write.
  boost::asio::awaitable<Result<std::int64_t>> put(etcd::PutRequest r);
  boost::asio::awaitable<Result<std::int64_t>> del(etcd::DeleteRequest r);
  // A transaction whose compares failed is a value with succeeded == false.
  boost::asio::awaitable<Result<etcd::TxnResult>> txn(etcd::TxnRequest r);
  // The lease etcd granted: its TTL may be larger than asked (etcd's
  // minimum is ceil(1.5 × election timeout)).
  boost::asio::awaitable<Result<etcd::Lease>> grant(std::int64_t ttl_s);
  // One keepalive: the TTL left, or lease_not_found.
  boost::asio::awaitable<Result<std::int64_t>> keepalive(std::int64_t lease_id);
  // lease_not_found when etcd has no such lease (expired or revoked).
  boost::asio::awaitable<std::error_code> revoke(std::int64_t lease_id);

  // For the watch: the endpoint to try `attempt` places after the one that
  // last answered.
  [[nodiscard]] const EtcdEndpoint& endpoint(std::size_t attempt) const noexcept;
  void note_answered(std::size_t attempt);
  void note_failure(const std::string& detail);
  [[nodiscard]] const std::string& last_error_detail() const noexcept { return last_error_; }

 private:
  // One call with failover; the answer's body on HTTP 200.
  boost::asio::awaitable<Result<std::string>> call(std::string target, std::string body, bool idempotent);
  // call(), then `decode` on the answer's body.
  template <typename Decode>
  auto call_decoded(std::string target, std::string body, bool idempotent, Decode decode)
      -> boost::asio::awaitable<decltype(decode(std::string_view{}))>;
  std::error_code error_answer(const EtcdEndpoint& ep, const std::string& target, const PostResult& r,
                               bool& try_next);

  boost::asio::any_io_executor ex_;
  EtcdClientOptions options_;
  std::size_t current_ = 0;  // index of the endpoint that last answered
  std::string last_error_;
  bool failing_ = false;
  std::string last_logged_;
  std::chrono::steady_clock::time_point last_logged_at_{};
};

}  // namespace strata::cluster
