#include "broker/clustered/topic_sync.h"

#include <chrono>

#include "broker/runtime/logger.h"
#include "protocol/record.h"

namespace strata::broker {

namespace {

constexpr const char* kTopicIdFile = "topic.id";
constexpr std::size_t kTopicIdBytes = 64;
// A pass that must be retried (a local deletion still going) runs again after this.
constexpr auto kRetryDelay = std::chrono::milliseconds(100);

std::vector<ConfigSetting> settings_of(const std::map<std::string, std::string>& configs) {
  std::vector<ConfigSetting> out;
  for (const auto& [k, v] : configs) out.push_back({k, v});
  return out;
}

}  // namespace

TopicSync::TopicSync(Broker& broker) : broker_(broker), fs_(broker.file_system()) {}

void TopicSync::on_metadata(const cluster::MetadataSnapshot& snapshot) {
  std::lock_guard lock(mu_);
  latest_ = snapshot;
  if (running_) return;  // the pass under way picks it up
  running_ = true;
  asio::co_spawn(broker_.shard(0).context(), [self = shared_from_this()] { return self->run(); }, asio::detached);
}

std::string TopicSync::verified_id(const std::string& topic) const {
  std::lock_guard lock(mu_);
  auto it = verified_.find(topic);
  return it == verified_.end() ? std::string() : it->second;
}

void TopicSync::set_verified(const std::string& topic, std::string id) {
  std::lock_guard lock(mu_);
  if (id.empty()) {
    verified_.erase(topic);
  } else {
    verified_[topic] = std::move(id);
  }
}

awaitable<void> TopicSync::run() {
  cluster::MetadataSnapshot done;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!broker_.stopping()) {
    cluster::MetadataSnapshot next;
    {
      std::lock_guard lock(mu_);
      if (latest_ == done) {
        running_ = false;
        co_return;
      }
      next = latest_;
    }
    if (co_await apply(*next)) {
      done = next;
    } else {
      timer.expires_after(kRetryDelay);
      co_await timer.async_wait(asio::use_awaitable);
    }
  }
  std::lock_guard lock(mu_);
  running_ = false;
}

std::string TopicSync::local_id(const std::string& topic) {
  const auto path = storage::fs::path(broker_.config().data_dir) / topic / kTopicIdFile;
  if (!fs_.exists(path)) return {};
  auto text = storage::read_small_file(fs_, path, kTopicIdBytes);
  if (!text) return {};
  return std::string(text.value().begin(), text.value().end());
}

awaitable<bool> TopicSync::apply(const cluster::ClusterMetadata& m) {
  bool complete = true;
  for (const auto& [name, record] : m.topics) {
    if (!co_await apply_topic(name, record)) complete = false;
  }
  for (const TopicPtr& local : broker_.topics().list()) {
    if (m.topics.count(local->name) != 0) continue;
    if (local_id(local->name).empty()) continue;  // standalone: left alone, not served
    set_verified(local->name, {});
    log_info("cluster: topic " + local->name + " was deleted from the cluster; deleting it here");
    Status s = co_await broker_.delete_local_topic(local->name);
    if (!s.ok() && s.code != Errc::topic_being_deleted) log_error("cluster: deleting " + local->name + ": " + s.message);
    applied_configs_.erase(local->name);
  }
  co_return complete;
}

awaitable<bool> TopicSync::apply_topic(const std::string& name, const cluster::TopicRecord& record) {
  const std::string id = cluster::uuid_text(record.topic_id);
  if (verified_id(name) == id && broker_.topics().find(name)) {
    if (applied_configs_[name] != record.configs) {
      Status s = co_await broker_.alter_local_configs(name, settings_of(record.configs));
      if (!s.ok()) log_error("cluster: applying configs of " + name + ": " + s.message);
      applied_configs_[name] = record.configs;
    }
    co_return true;
  }
  set_verified(name, {});
  if (broker_.topics().deleting(name)) co_return false;
  if (broker_.topics().find(name)) {
    const std::string had = local_id(name);
    if (had.empty()) {
      log_error("cluster: topic " + name + " here has no topic id (made standalone) and the cluster has one of "
                "that name: not serving it; move its directory away to take the cluster's");
      co_return true;
    }
    if (had == id) {
      set_verified(name, id);
      applied_configs_[name] = {};
      co_return co_await apply_topic(name, record);
    }
    log_info("cluster: topic " + name + " here is " + had + ", the cluster's is " + id +
             " (deleted and re-created while this broker was away): deleting the old one");
    Status s = co_await broker_.delete_local_topic(name);
    if (!s.ok() && s.code != Errc::topic_being_deleted) log_error("cluster: deleting " + name + ": " + s.message);
    co_return false;
  }
  // The id goes in first, so a topic directory never lacks it.
  const auto dir = storage::fs::path(broker_.config().data_dir) / name;
  std::error_code ec = fs_.create_directories(dir);
  if (!ec) ec = storage::replace_file(fs_, dir / kTopicIdFile, protocol::as_bytes(id), true);
  if (ec) {
    log_error("cluster: cannot write " + (dir / kTopicIdFile).string() + ": " + ec.message());
    co_return false;
  }
  TopicSpec spec{name, static_cast<std::uint32_t>(record.partitions), settings_of(record.configs)};
  if (!record.replicas.empty()) spec.configs.push_back({"replication.factor", std::to_string(record.replicas[0].size())});
  Status s = co_await broker_.create_local_topic(std::move(spec));
  if (!s.ok()) {
    log_error("cluster: creating topic " + name + " here: " + s.message);
    co_return false;
  }
  applied_configs_[name] = record.configs;
  set_verified(name, id);
  co_return true;
}

}  // namespace strata::broker
