#include "broker/cluster/metadata_view.h"

#include "broker/cluster/etcd_watch.h"

namespace strata::cluster {

namespace asio = boost::asio;

MetadataView::MetadataView(EtcdClient& client, MetadataViewOptions options)
    : client_(client), options_(std::move(options)), snapshot_(std::make_shared<const ClusterMetadata>()) {}

MetadataView::~MetadataView() = default;

asio::awaitable<Result<std::shared_ptr<MetadataView>>> MetadataView::start(EtcdClient& client,
                                                                            MetadataViewOptions options) {
  auto view = std::make_shared<MetadataView>(client, std::move(options));
  etcd::RangeRequest all{view->options_.layout.prefix(), true, 0, 0};
  auto first = co_await client.range(std::move(all));
  if (!first) co_return first.error();
  view->replace_all(first.value());
  view->connected_ = true;
  const std::weak_ptr<MetadataView> weak = view;
  WatchCallbacks callbacks;
  callbacks.on_events = [weak](const std::vector<etcd::WatchEvent>& events) {
    if (auto v = weak.lock()) v->apply_events(events);
  };
  callbacks.on_snapshot = [weak](const etcd::RangeResult& r) {
    if (auto v = weak.lock()) v->replace_all(r);
  };
  callbacks.on_state = [weak](std::error_code ec) {
    if (auto v = weak.lock()) v->connected_ = !ec;
  };
  view->watcher_ = Watcher::start(client, view->options_.layout.prefix(), true, first.value().revision + 1,
                                  std::move(callbacks));
  co_return view;
}

MetadataSnapshot MetadataView::current() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

void MetadataView::stop() {
  if (watcher_) watcher_->cancel();
}

void MetadataView::replace_all(const etcd::RangeResult& all) {
  ClusterMetadata next;
  for (const auto& kv : all.kvs) apply(next, options_.layout, kv, false, options_.log);
  next.revision = all.revision;
  publish(std::move(next));
}

void MetadataView::apply_events(const std::vector<etcd::WatchEvent>& events) {
  ClusterMetadata next = *current();
  for (const auto& e : events) {
    apply(next, options_.layout, e.kv, e.type == etcd::WatchEvent::Type::del, options_.log);
  }
  publish(std::move(next));
}

void MetadataView::publish(ClusterMetadata next) {
  auto snapshot = std::make_shared<const ClusterMetadata>(std::move(next));
  {
    std::lock_guard lock(mu_);
    snapshot_ = snapshot;
  }
  if (options_.on_change) options_.on_change(snapshot);
}

}  // namespace strata::cluster
