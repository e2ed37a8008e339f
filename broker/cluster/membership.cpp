#include "broker/cluster/membership.h"

#include <algorithm>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/lease_file.h"

namespace strata::cluster {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// "incarnation X, strata at host:port" from a registration's JSON, or what
// is known when it cannot be read.
std::string describe_holder(const etcd::TxnResult& failed) {
  if (failed.ranges.empty() || failed.ranges[0].kvs.empty()) return "it has gone since; retry";
  const etcd::KeyValue& kv = failed.ranges[0].kvs[0];
  std::string why;
  auto reg = decode_broker_registration(kv.value, why);
  std::string out = "registered at etcd revision " + std::to_string(kv.create_revision);
  if (!reg) return out + ", with an unreadable registration: " + why;
  out += ", incarnation " + uuid_text(reg.value().incarnation);
  for (const auto& e : reg.value().endpoints) out += ", " + e.listener + " at " + e.host + ":" + std::to_string(e.port);
  return out;
}

}  // namespace

Membership::Membership(EtcdClient& client, MembershipOptions options)
    : client_(client), options_(std::move(options)),
      timer_(std::make_unique<asio::steady_timer>(client.executor())) {}

asio::awaitable<Result<std::shared_ptr<Membership>>> Membership::join(EtcdClient& client, MembershipOptions options,
                                                                       std::string& refusal) {
  auto m = std::make_shared<Membership>(client, std::move(options));
  const MembershipOptions& o = m->options_;
  const auto log = [&o](const std::string& line) {
    if (o.log) o.log(line);
  };
  auto previous = read_lease_file(*o.fs, o.data_dir);
  if (!previous) {
    log(std::string("ignoring ") + kLeaseFileName + ": " + previous.error().message() +
        " (a previous registration, if any, expires with its lease)");
  } else if (previous.value()) {
    const std::int64_t old = *previous.value();
    const std::error_code ec = co_await client.revoke(old);
    if (ec && ec != ClusterErrc::lease_not_found) {
      refusal = "cannot revoke this broker's previous etcd lease " + std::to_string(old) + ": " + ec.message() +
                " (" + client.last_error_detail() + ")";
      co_return ec;
    }
    if (!ec) log("revoked etcd lease " + std::to_string(old) + " of this broker's previous run (it did not shut down cleanly)");
  }
  if (const std::error_code ec = co_await m->register_once(refusal)) co_return ec;
  asio::co_spawn(client.executor(), m->keep_alive(m), asio::detached);
  co_return m;
}

asio::awaitable<std::error_code> Membership::register_once(std::string& refusal) {
  const MembershipOptions& o = options_;
  auto lease = co_await client_.grant(o.lease_ttl_s);
  if (!lease) {
    refusal = "cannot get an etcd lease: " + lease.error().message() + " (" + client_.last_error_detail() + ")";
    co_return lease.error();
  }
  if (lease.value().ttl_s != o.lease_ttl_s && o.log) {
    o.log("etcd granted a lease of " + std::to_string(lease.value().ttl_s) + " s (lease.ttl.s asked " +
          std::to_string(o.lease_ttl_s) + " s; etcd's minimum is 1.5 x its election timeout)");
  }
  if (const std::error_code ec = write_lease_file(*o.fs, o.data_dir, lease.value().id)) {
    refusal = "cannot record the etcd lease in " + (o.data_dir / kLeaseFileName).string() + ": " + ec.message();
    (void)co_await client_.revoke(lease.value().id);
    co_return ec;
  }
  const std::string key = o.layout.broker_key(o.registration.id);
  etcd::TxnRequest create{{etcd::Compare::absent(key)},
                          {etcd::TxnOp::put(key, encode(o.registration), lease.value().id)},
                          {etcd::TxnOp::get(key)}};
  auto result = co_await client_.txn(std::move(create));
  if (!result || !result.value().succeeded) {
    (void)co_await client_.revoke(lease.value().id);
  }
  if (!result) {
    refusal = "cannot register in etcd: " + result.error().message() + " (" + client_.last_error_detail() + ")";
    co_return result.error();
  }
  if (!result.value().succeeded) {
    refusal = "node id " + std::to_string(o.registration.id) + " is taken by another live broker (" +
              describe_holder(result.value()) + "): give each broker its own --node-id; if that broker was just "
              "stopped, its registration goes within its lease TTL";
    co_return make_error_code(ClusterErrc::duplicate_broker_id);
  }
  lease_ = lease.value();
  registered_revision_ = result.value().revision;
  co_return std::error_code{};
}

asio::awaitable<void> Membership::keep_alive([[maybe_unused]] std::shared_ptr<Membership> self) {
  bool failing = false;
  while (!stopped_) {
    const auto interval = std::max<std::chrono::milliseconds>(std::chrono::milliseconds(lease_.ttl_s * 1000 / 3), 100ms);
    timer_->expires_after(interval);
    boost::system::error_code ignored;
    co_await timer_->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (stopped_) break;
    auto ttl = co_await client_.keepalive(lease_.id);
    if (stopped_) break;
    if (ttl) {
      if (failing && options_.log) options_.log("etcd keepalives work again");
      failing = false;
      continue;
    }
    if (ttl.error() == ClusterErrc::lease_not_found) {
      if (options_.log) {
        options_.log("etcd lease " + std::to_string(lease_.id) + " expired (etcd was out of reach for longer than "
                     "its TTL of " + std::to_string(lease_.ttl_s) + " s): registering again");
      }
      std::string why;
      const std::error_code ec = co_await register_once(why);
      if (ec && options_.log) options_.log("registering again failed: " + why);
      if (options_.on_renewed) options_.on_renewed(ec);
    } else if (!failing) {
      failing = true;
      if (options_.log) options_.log("etcd keepalive failed: " + ttl.error().message() + "; retrying");
    }
  }
}

asio::awaitable<std::error_code> Membership::leave() {
  stop();
  co_return co_await client_.revoke(lease_.id);
}

void Membership::stop() {
  stopped_ = true;
  timer_->cancel();
}

}  // namespace strata::cluster
