#include "broker/cluster/etcd_client.h"

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/etcd_http.h"
#include "broker/cluster/etcd_json.h"

namespace strata::cluster {

namespace {
// gRPC status codes etcd's gateway puts in an error answer.
constexpr int kGrpcNotFound = 5;
constexpr int kGrpcUnavailable = 14;
// The same failure is logged at most this often.
constexpr std::chrono::seconds kRepeatLogEvery{10};
}  // namespace

EtcdClient::EtcdClient(boost::asio::any_io_executor ex, EtcdClientOptions options)
    : ex_(std::move(ex)), options_(std::move(options)) {}

const EtcdEndpoint& EtcdClient::endpoint(std::size_t attempt) const noexcept {
  return options_.endpoints[(current_ + attempt) % options_.endpoints.size()];
}

void EtcdClient::note_answered(std::size_t attempt) {
  current_ = (current_ + attempt) % options_.endpoints.size();
  if (!failing_) return;
  failing_ = false;
  last_logged_.clear();
  if (options_.log) options_.log("etcd " + endpoint(0).text() + " answers again");
}

void EtcdClient::note_failure(const std::string& detail) {
  last_error_ = detail;
  failing_ = true;
  const auto now = std::chrono::steady_clock::now();
  if (detail == last_logged_ && now - last_logged_at_ < kRepeatLogEvery) return;
  last_logged_ = detail;
  last_logged_at_ = now;
  if (options_.log) options_.log(detail);
}

std::error_code EtcdClient::error_answer(const EtcdEndpoint& ep, const std::string& target, const PostResult& r,
                                         bool& try_next) {
  const auto text = etcd::decode_error(r.answer.body);
  const std::string what = text ? text->message : r.answer.body.substr(0, 200);
  note_failure("etcd " + ep.text() + " " + target + ": HTTP " + std::to_string(r.answer.status) + ": " + what);
  try_next = text && text->code == kGrpcUnavailable;
  if (text && text->code == kGrpcNotFound && target.starts_with("/v3/lease/")) {
    return ClusterErrc::lease_not_found;
  }
  return try_next ? ClusterErrc::etcd_unreachable : ClusterErrc::etcd_error;
}

boost::asio::awaitable<Result<std::string>> EtcdClient::call(std::string target, std::string body, bool idempotent) {
  std::error_code last = ClusterErrc::etcd_unreachable;
  const std::size_t n = options_.endpoints.size();
  for (std::size_t attempt = 0; attempt < n; ++attempt) {
    const EtcdEndpoint ep = endpoint(attempt);
    PostResult r = co_await http_post(ep, target, body, options_.request_timeout, options_.max_response_bytes);
    if (r.error) {
      note_failure(r.detail);
      last = r.error;
      if (r.error == ClusterErrc::response_too_large) co_return last;
      if (r.sent && !idempotent) {
        co_return make_error_code(ClusterErrc::etcd_timeout);
      }
      continue;
    }
    if (r.answer.status == 200) {
      note_answered(attempt);
      co_return std::move(r.answer.body);
    }
    bool try_next = false;
    last = error_answer(ep, target, r, try_next);
    if (!try_next) co_return last;
  }
  co_return last;
}

template <typename Decode>
auto EtcdClient::call_decoded(std::string target, std::string body, bool idempotent, Decode decode)
    -> boost::asio::awaitable<decltype(decode(std::string_view{}))> {
  auto answer = co_await call(std::move(target), std::move(body), idempotent);
  if (!answer) co_return answer.error();
  co_return decode(answer.value());
}

boost::asio::awaitable<Result<etcd::RangeResult>> EtcdClient::range(etcd::RangeRequest r) {
  return call_decoded("/v3/kv/range", etcd::encode_range(r), true, etcd::decode_range);
}

boost::asio::awaitable<Result<std::int64_t>> EtcdClient::put(etcd::PutRequest r) {
  return call_decoded("/v3/kv/put", etcd::encode_put(r), false, etcd::decode_header_revision);
}

boost::asio::awaitable<Result<std::int64_t>> EtcdClient::del(etcd::DeleteRequest r) {
  return call_decoded("/v3/kv/deleterange", etcd::encode_delete(r), false, etcd::decode_header_revision);
}

boost::asio::awaitable<Result<etcd::TxnResult>> EtcdClient::txn(etcd::TxnRequest r) {
  return call_decoded("/v3/kv/txn", etcd::encode_txn(r), false, etcd::decode_txn);
}

boost::asio::awaitable<Result<etcd::Lease>> EtcdClient::grant(std::int64_t ttl_s) {
  return call_decoded("/v3/lease/grant", etcd::encode_lease_grant(ttl_s), false, etcd::decode_lease_grant);
}

boost::asio::awaitable<Result<std::int64_t>> EtcdClient::keepalive(std::int64_t lease_id) {
  return call_decoded("/v3/lease/keepalive", etcd::encode_lease_id(lease_id), true,
                      [](std::string_view body) -> Result<std::int64_t> {
                        STRATA_TRY(auto ttl, etcd::decode_keepalive(body));
                        if (ttl == 0) return ClusterErrc::lease_not_found;  // etcd no longer has it
                        return ttl;
                      });
}

boost::asio::awaitable<std::error_code> EtcdClient::revoke(std::int64_t lease_id) {
  auto body = co_await call("/v3/lease/revoke", etcd::encode_lease_id(lease_id), true);
  if (!body) co_return body.error();
  co_return std::error_code{};
}

}  // namespace strata::cluster
