#include "broker/cluster/controller_election.h"

#include <algorithm>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/cluster_metadata.h"
#include "broker/cluster/cluster_values.h"
#include "broker/cluster/etcd_watch.h"

namespace strata::cluster {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr auto kRetry = 500ms;

}  // namespace

ControllerElector::ControllerElector(EtcdClient& client, ElectorOptions options)
    : client_(client), options_(std::move(options)),
      wake_(std::make_unique<asio::steady_timer>(client.executor())) {}

ControllerElector::~ControllerElector() = default;

std::shared_ptr<ControllerElector> ControllerElector::start(EtcdClient& client, ElectorOptions options) {
  auto e = std::make_shared<ControllerElector>(client, std::move(options));
  asio::co_spawn(client.executor(), e->run(e), asio::detached);
  return e;
}

void ControllerElector::stop() {
  stopped_ = true;
  if (watcher_) watcher_->cancel();
  wake_->cancel();
}

void ControllerElector::learn(const ControllerInfo& info) {
  if (info == current_) return;
  current_ = info;
  if (options_.log) {
    options_.log(info.broker_id == options_.broker_id
                     ? "this broker is the controller (epoch " + std::to_string(info.epoch) + ")"
                     : "controller: broker " + std::to_string(info.broker_id) + " (epoch " +
                           std::to_string(info.epoch) + ")");
  }
  if (options_.on_change) options_.on_change(current_);
}

void ControllerElector::on_events(const std::vector<etcd::WatchEvent>& events) {
  for (const auto& e : events) {
    if (e.type == etcd::WatchEvent::Type::del) {
      learn({});
      vacant_ = true;
    } else {
      learn(controller_info_of(e.kv));
      vacant_ = false;
    }
  }
  if (vacant_) wake_->cancel();
}

asio::awaitable<std::error_code> ControllerElector::campaign() {
  const std::string key = options_.layout.controller_key();
  etcd::TxnRequest txn{{etcd::Compare::absent(key)},
                       {etcd::TxnOp::put(key, encode(ControllerRecord{options_.broker_id}), options_.lease_id)},
                       {etcd::TxnOp::get(key)}};
  auto r = co_await client_.txn(std::move(txn));
  if (!r) co_return r.error();
  const etcd::TxnResult& t = r.value();
  if (watch_from_ == 0) watch_from_ = t.revision + 1;
  if (t.succeeded) {
    const ControllerInfo self_elected{options_.broker_id, t.revision};  // the put's revision = create revision
    learn(self_elected);
  } else if (!t.ranges.empty() && !t.ranges[0].kvs.empty()) {
    learn(controller_info_of(t.ranges[0].kvs[0]));
  } else {
    co_return make_error_code(ClusterErrc::etcd_error);  // gone between compare and read: cannot be
  }
  co_return std::error_code{};
}

asio::awaitable<void> ControllerElector::run([[maybe_unused]] std::shared_ptr<ControllerElector> self) {
  bool failing = false;
  while (!stopped_) {
    if (vacant_) {
      const std::error_code ec = co_await campaign();
      if (stopped_) break;
      if (ec) {
        if (!failing && options_.log) options_.log("controller election failed: " + ec.message() + "; retrying");
        failing = true;
        wake_->expires_after(kRetry);
        boost::system::error_code ignored;
        co_await wake_->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        continue;
      }
      failing = false;
      vacant_ = false;
      if (!watcher_) {
        const auto weak = weak_from_this();
        WatchCallbacks callbacks;
        callbacks.on_events = [weak](const std::vector<etcd::WatchEvent>& events) {
          if (auto e = weak.lock()) e->on_events(events);
        };
        callbacks.on_snapshot = [weak](const etcd::RangeResult& r) {
          auto e = weak.lock();
          if (!e) return;
          if (r.kvs.empty()) {
            e->learn({});
            e->vacant_ = true;
            e->wake_->cancel();
          } else {
            e->learn(controller_info_of(r.kvs[0]));
          }
        };
        watcher_ = Watcher::start(client_, options_.layout.controller_key(), false, watch_from_, std::move(callbacks));
      }
    }
    if (vacant_) continue;  // the watch saw the key go while we campaigned
    wake_->expires_at(asio::steady_timer::time_point::max());
    boost::system::error_code ignored;
    co_await wake_->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

asio::awaitable<Result<etcd::TxnResult>> controller_txn(EtcdClient& client, const ClusterLayout& layout,
                                                        std::int64_t epoch, etcd::TxnRequest txn) {
  const bool writes_on_failure = std::any_of(txn.failure.begin(), txn.failure.end(),
                                             [](const etcd::TxnOp& op) { return op.kind != etcd::TxnOp::Kind::range; });
  if (writes_on_failure) co_return make_error_code(std::errc::invalid_argument);
  const std::string key = layout.controller_key();
  txn.compare.insert(txn.compare.begin(), etcd::Compare::created_at(key, epoch));
  txn.failure.insert(txn.failure.begin(), etcd::TxnOp::get(key));
  auto r = co_await client.txn(std::move(txn));
  if (!r || r.value().succeeded) co_return r;
  etcd::TxnResult out = std::move(r).value();
  if (out.ranges.empty()) co_return make_error_code(ClusterErrc::bad_response);
  const auto& ctrl = out.ranges.front().kvs;
  if (ctrl.empty() || ctrl[0].create_revision != epoch) co_return make_error_code(ClusterErrc::not_controller);
  out.ranges.erase(out.ranges.begin());
  co_return out;
}

}  // namespace strata::cluster
