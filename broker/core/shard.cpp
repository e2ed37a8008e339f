#include "broker/core/shard.h"

#include "broker/runtime/logger.h"

namespace strata::broker {

Shard::Shard(unsigned id, const BrokerConfig& config, storage::FileSystem& fs, asio::thread_pool& blocking)
    : id_(id),
      config_(config),
      work_(asio::make_work_guard(context_)),
      blocking_(blocking),
      cache_(fs, config.file_cache_size) {}

Shard::~Shard() { stop(); }

Result<std::unique_ptr<storage::PartitionLog>> Shard::open_log(const storage::fs::path& dir,
                                                               const TopicConfig& config) {
  storage::PartitionOptions options;
  options.config = config.log;
  options.events = storage_event_log();
  return storage::PartitionLog::open(dir, cache_, std::move(options));
}

Result<PartitionPtr> Shard::open_partition(const storage::fs::path& dir, const std::string& topic,
                                           std::uint32_t partition, const TopicConfig& config) {
  STRATA_TRY(auto log, open_log(dir, config));
  return add_partition(topic, partition, config, std::move(log));
}

PartitionPtr Shard::add_partition(const std::string& topic, std::uint32_t partition, const TopicConfig& config,
                                  std::unique_ptr<storage::PartitionLog> log) {
  auto state = std::make_shared<PartitionState>();
  state->topic = topic;
  state->partition = partition;
  state->max_message_bytes = config.max_message_bytes;
  state->log = std::move(log);
  partitions_[{topic, partition}] = state;
  return state;
}

PartitionPtr Shard::find(const std::string& topic, std::uint32_t partition) const {
  auto it = partitions_.find({topic, partition});
  return it == partitions_.end() ? nullptr : it->second;
}

void Shard::close_partition(const std::string& topic, std::uint32_t partition) {
  auto it = partitions_.find({topic, partition});
  if (it == partitions_.end()) return;
  if (auto ec = it->second->log->close()) {
    log_warn("closing " + topic + "/" + std::to_string(partition) + ": " + ec.message());
  }
  it->second->notify_appended();  // waiting fetches re-check and find it gone
  partitions_.erase(it);
}

PartitionPtr Shard::drop_partition(const std::string& topic, std::uint32_t partition) {
  auto it = partitions_.find({topic, partition});
  if (it == partitions_.end()) return nullptr;
  PartitionPtr p = std::move(it->second);
  partitions_.erase(it);
  p->log->abandon();
  p->notify_appended();  // waiting fetches re-check and find it gone
  return p;
}

void Shard::close_all() {
  Shard* self = this;
  close_all(std::span<Shard* const>(&self, 1));
}

void Shard::close_all(std::span<Shard* const> shards) {
  if (shards.empty()) return;
  std::vector<storage::PartitionLog*> logs;
  for (const Shard* s : shards) {
    for (const auto& [key, p] : s->partitions_) logs.push_back(p->log.get());
  }
  if (auto ec = storage::PartitionLog::close_many(shards.front()->cache_.file_system(), logs)) {
    log_warn("clean shutdown of " + std::to_string(logs.size()) + " partitions: " + ec.message() +
             "; those it could not vouch for are recovered at the next start");
  }
  for (Shard* s : shards) {
    for (auto& [key, p] : s->partitions_) p->notify_appended();  // waiting fetches re-check and find it gone
    s->partitions_.clear();
  }
}

void Shard::apply_config(const std::string& topic, const TopicConfig& config) {
  for (auto& [key, p] : partitions_) {
    if (key.first != topic) continue;
    p->max_message_bytes = config.max_message_bytes;
    if (auto ec = p->log->set_config(config.log)) log_warn("config for " + topic + ": " + ec.message());
  }
}

void Shard::run_sync(const PartitionPtr& p, storage::SyncTicket ticket, std::function<void()> done) {
  auto shared_ticket = std::make_shared<storage::SyncTicket>(std::move(ticket));
  asio::post(blocking_, [this, p, shared_ticket, done = std::move(done)]() mutable {
    const auto started = std::chrono::steady_clock::now();
    const std::error_code result = shared_ticket->run();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    asio::post(context_, [this, p, shared_ticket, result, took, done = std::move(done)] {
      metrics_.fsync_seconds.observe(took.count());
      if (result) {
        ++metrics_.fsync_errors;
      } else if (shared_ticket->target() > p->log->durable_end()) {
        metrics_.group_commit_offsets.observe(
            static_cast<double>(shared_ticket->target().value() - p->log->durable_end().value()));
      }
      if (p->log->complete_sync(*shared_ticket, result)) request_sync(p);
      if (done) done();
    });
  });
}

void Shard::request_sync(const PartitionPtr& p) {
  auto ticket = p->log->begin_sync();
  if (ticket) run_sync(p, std::move(*ticket), {});
}

void Shard::run_retention() {
  for (auto& [key, p] : partitions_) {
    auto report = p->log->enforce_retention();
    if (report) {
      metrics_.retention_segments_deleted += report.value().segments_deleted;
      metrics_.retention_bytes_freed += report.value().bytes_freed;
    } else {
      log_warn("retention on " + key.first + "/" + std::to_string(key.second) + ": " + report.error().message());
    }
  }
}

void Shard::flush_all() {
  if (!flush_queue_.empty()) return;  // the last pass is still going
  for (auto& [key, p] : partitions_) {
    if (p->log->durable_end() < p->log->log_end()) flush_queue_.push_back(p);
  }
  pump_flushes();
}

void Shard::pump_flushes() {
  while (background_syncs_ < kMaxBackgroundSyncs && !flush_queue_.empty()) {
    PartitionPtr p = std::move(flush_queue_.front());
    flush_queue_.pop_front();
    auto ticket = p->log->begin_sync();  // nullopt: synced meanwhile, closed, or a sync in flight
    if (!ticket) continue;
    ++background_syncs_;
    run_sync(p, std::move(*ticket), [this] {
      --background_syncs_;
      pump_flushes();
    });
  }
}

awaitable<void> Shard::every(std::int64_t interval_ms, void (Shard::*task)()) {
  asio::steady_timer timer(context_);
  for (;;) {
    timer.expires_after(std::chrono::milliseconds(interval_ms));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    (this->*task)();
  }
}

void Shard::start() {
  asio::co_spawn(context_, every(config_.retention_check_interval_ms, &Shard::run_retention), asio::detached);
  if (config_.flush_interval_ms > 0) {
    asio::co_spawn(context_, every(config_.flush_interval_ms, &Shard::flush_all), asio::detached);
  }
  thread_ = std::thread([this] {
    bind_local_metrics(&metrics_);
    context_.run();
  });
}

void Shard::stop() {
  work_.reset();
  context_.stop();
  if (thread_.joinable()) thread_.join();
}

awaitable<std::error_code> wait_durable(Shard& shard, PartitionPtr p, storage::Offset end) {
  auto token = asio::use_awaitable;
  auto initiate = [&shard, p, end](auto handler) {
    using Handler = decltype(handler);
    auto shared = std::make_shared<Handler>(std::move(handler));
    p->log->wait_durable(end, [shared](std::error_code ec) {
      auto ex = asio::get_associated_executor(*shared);
      asio::post(ex, [shared, ec]() mutable { (*shared)(ec); });
    });
    shard.request_sync(p);
  };
  co_return co_await asio::async_initiate<decltype(token), void(std::error_code)>(initiate, token);
}

}  // namespace strata::broker
