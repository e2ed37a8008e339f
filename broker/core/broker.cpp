#include "broker/core/broker.h"

#include "broker/core/data_dir_names.h"
#include "broker/core/error_mapping.h"
#include "broker/core/replication_config.h"
#include "broker/runtime/logger.h"
#include "protocol/record.h"
#include "protocol/topic_name.h"
#include "storage/data_dir_format.h"
#include "storage/data_dir_lock.h"
#include "storage/storage_errc.h"

namespace strata::broker {

namespace fs = std::filesystem;

namespace {

Status status(Errc code, std::string message) { return {code, std::move(message)}; }

// With enforce, runs retention on the shard right after (it may delete
// segments of any of the shard's partitions that are due anyway).
awaitable<void> apply_on_shard(Shard& shard, std::string topic, TopicConfig config, bool enforce) {
  shard.apply_config(topic, config);
  if (enforce) shard.run_retention();
  co_return;
}

// Only retention keys: such a change may free disk space once applied.
bool only_retention(const std::vector<ConfigSetting>& configs) {
  for (const auto& c : configs) {
    if (c.key != "retention.ms" && c.key != "retention.bytes") return false;
  }
  return !configs.empty();
}

}  // namespace

namespace {

// The journal asked for by test.durability.journal, or null; throws
// std::runtime_error when it cannot be opened.
std::unique_ptr<storage::JournalingFileSystem> journal_for(storage::FileSystem& base, const BrokerConfig& config) {
  if (config.durability_journal.empty()) return nullptr;
  auto j = storage::JournalingFileSystem::open_journal(base, config.data_dir, config.durability_journal);
  if (!j) {
    throw std::runtime_error("cannot open test.durability.journal " + config.durability_journal + ": " +
                             j.error().message());
  }
  return std::move(j).value();
}

}  // namespace

Broker::Broker(BrokerConfig config)
    : config_(std::move(config)),
      journaled_(journal_for(posix_, config_)),
      fs_(journaled_ ? static_cast<storage::FileSystem&>(*journaled_) : posix_),
      blocking_(std::max(2u, config_.shards)),
      producer_ids_(fs_, fs::path(config_.data_dir) / kProducerIdsFile) {
  for (unsigned i = 0; i < config_.shards; ++i) {
    shards_.push_back(std::make_unique<Shard>(i, config_, fs_, blocking_));
  }
}

Broker::~Broker() { shutdown(); }

awaitable<std::error_code> Broker::open_on_shard(Shard& shard, fs::path dir, std::string topic,
                                                 std::uint32_t partition, TopicConfig config) {
  auto opened = shard.open_partition(dir, topic, partition, config);
  co_return opened ? std::error_code{} : opened.error();
}

awaitable<void> Broker::close_on_shard(Shard& shard, std::string topic, std::uint32_t partition) {
  shard.close_partition(topic, partition);
  co_return;
}

std::error_code Broker::write_topic_config(const fs::path& dir, const TopicConfig& config) {
  const std::string text = serialize_topic_config(config);
  return storage::replace_file(fs_, dir / kTopicConfigFile, protocol::as_bytes(text), true);
}

fs::path Broker::partition_dir(const std::string& topic, std::uint32_t p) const {
  return fs::path(config_.data_dir) / topic / std::to_string(p);
}

void Broker::start_shards() {
  for (auto& s : shards_) s->start();
  start_removals();
}

void Broker::shutdown() {
  if (stopped_) return;
  stopped_ = true;
  stopping_.store(true);  // a background removal gives up: the next start goes on
  for (auto& s : shards_) s->stop();
  blocking_.join();
  // The shards (and their io_contexts) live on until the Broker is
  // destroyed, so sockets and timers created on them stay valid until then.
  std::vector<Shard*> shards;
  for (auto& s : shards_) shards.push_back(s.get());
  const auto t0 = std::chrono::steady_clock::now();
  Shard::close_all(shards);
  log_info("closed all " + std::to_string(topics_.partition_count()) + " partitions in " +
           std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
                              .count()) +
           " ms");
}

Status Broker::check_topic_spec(const TopicSpec& request, TopicConfig& config) const {
  const std::string& name = request.name;
  if (!protocol::valid_topic_name(name)) {
    return status(Errc::invalid_topic, "invalid topic name '" + name.substr(0, 300) +
                                           "': use 1-249 characters of [A-Za-z0-9._-], not '.' or '..'");
  }
  config = config_.topic_defaults;
  if (request.partitions < 1 || request.partitions > 10000) {
    return status(Errc::invalid_partitions,
                  "partition count " + std::to_string(request.partitions) + " is not between 1 and 10000");
  }
  config.partitions = request.partitions;
  for (const auto& c : request.configs) {
    if (c.key == "partitions") continue;
    // At creation every key may be set, those fixed afterwards (replication.factor) too.
    if (auto err = set_topic_config(config, c.key, c.value, true)) return status(Errc::invalid_config, *err);
  }
  return {};
}

awaitable<Status> Broker::create_topic(TopicSpec request) {
  TopicConfig config;
  if (Status bad = check_topic_spec(request, config); !bad.ok()) co_return bad;
  if (cluster_) co_return co_await cluster_->create_topic(std::move(request));
  ReplicationChoice replication;
  if (Status bad = choose_replication(request.configs, config_, std::nullopt, replication); !bad.ok()) co_return bad;
  set_replication(request.configs, replication);
  co_return co_await create_local_topic(std::move(request));
}

awaitable<Status> Broker::delete_topic(std::string name) {
  if (!cluster_) co_return co_await delete_local_topic(std::move(name));
  co_return co_await cluster_->delete_topic(std::move(name));
}

awaitable<Status> Broker::alter_configs(std::string name, std::vector<ConfigSetting> configs) {
  if (!cluster_) co_return co_await alter_local_configs(std::move(name), std::move(configs));
  co_return co_await cluster_->alter_configs(std::move(name), std::move(configs));
}

awaitable<Status> Broker::create_local_topic(TopicSpec request) {
  const std::string name = request.name;
  TopicConfig config;
  if (Status bad = check_topic_spec(request, config); !bad.ok()) co_return bad;
  if (topics_.deleting(name)) co_return being_deleted(name);
  if (topics_.find(name) || busy_.contains(name)) {
    co_return status(Errc::topic_exists, "topic '" + name + "' already exists");
  }
  busy_.insert(name);
  const fs::path dir = fs::path(config_.data_dir) / name;
  std::error_code ec = fs_.create_directories(dir);
  if (!ec) ec = write_topic_config(dir, config);
  if (!ec) ec = fs_.sync_directory(config_.data_dir);
  auto info = std::make_shared<TopicInfo>();
  info->name = name;
  info->config = config;
  for (std::uint32_t p = 0; p < config.partitions && !ec; ++p) {
    const unsigned s = next_shard();
    info->shard_of.push_back(s);
    ec = co_await asio::co_spawn(shards_[s]->context(), open_on_shard(*shards_[s], partition_dir(name, p), name, p, config),
                                 asio::use_awaitable);
  }
  // Each partition syncs its own directory, not its entry in the topic's:
  // without this a power loss could take a new partition's directory, and
  // with it data acknowledged as durable.
  if (!ec) ec = fs_.sync_directory(dir);
  if (ec) {
    for (std::uint32_t p = 0; p < info->shard_of.size(); ++p) {
      Shard& owner = *shards_[info->shard_of[p]];
      co_await asio::co_spawn(owner.context(), close_on_shard(owner, name, p), asio::use_awaitable);
    }
    (void)fs_.remove_all(dir);
    busy_.erase(name);
    log_error("creating topic " + name + " failed: " + ec.message());
    co_return status(to_status(ec).code, "could not create topic '" + name + "': " + ec.message());
  }
  topics_.insert(info);
  busy_.erase(name);
  log_info("created topic " + name + " with " + std::to_string(config.partitions) + " partitions");
  co_return Status{};
}

awaitable<TopicPtr> Broker::ensure_topic(std::string name) {
  // Another request may be creating (or changing) it right now: wait for
  // that to finish rather than report it missing.
  co_await busy_.wait_until_free(name);
  if (auto t = topics_.find(name)) co_return t;
  TopicSpec request;
  request.name = name;
  request.partitions = config_.topic_defaults.partitions;
  co_await create_topic(request);
  co_return topics_.find(name);
}

awaitable<Status> Broker::alter_local_configs(std::string name, std::vector<ConfigSetting> configs) {
  if (topics_.deleting(name)) co_return being_deleted(name);
  if (busy_.contains(name)) {
    co_return status(Errc::unknown_topic, "topic '" + name + "' is being changed");
  }
  TopicPtr topic = topics_.find(name);
  if (!topic) co_return status(Errc::unknown_topic, "topic '" + name + "' does not exist");
  for (const auto& c : configs) {
    if (c.key != "partitions") continue;
    if (configs.size() != 1) {
      co_return status(Errc::invalid_config, "change partitions alone, not with other configs");
    }
    co_return co_await add_partitions(topic, c.value);
  }
  auto updated = std::make_shared<TopicInfo>(*topic);
  std::string changes;
  for (const auto& c : configs) {
    if (auto err = set_topic_config(updated->config, c.key, c.value, false)) {
      co_return status(Errc::invalid_config, *err);
    }
    changes += " " + c.key + "=" + c.value;
  }
  if (auto err = check_min_insync(updated->config.min_insync_replicas, updated->config.replication_factor)) {
    co_return status(Errc::invalid_config, *err);
  }
  const fs::path dir = fs::path(config_.data_dir) / name;
  const std::set<unsigned> owners(updated->shard_of.begin(), updated->shard_of.end());
  auto apply = [&](const TopicConfig& config, bool enforce) -> awaitable<void> {
    for (unsigned s : owners) {
      co_await asio::co_spawn(shards_[s]->context(), apply_on_shard(*shards_[s], name, config, enforce),
                              asio::use_awaitable);
    }
  };
  std::error_code ec = write_topic_config(dir, updated->config);
  bool applied = false;
  if (ec && storage::is_disk_full(ec) && only_retention(configs)) {
    // Persisting topic.conf needs a free block, and on a full disk the new
    // retention is what frees some: apply and enforce it first, then write.
    // If the write still fails the old configs come back (segments the new
    // retention deleted stay deleted, as the operator asked).
    busy_.insert(name);
    co_await apply(updated->config, true);
    ec = write_topic_config(dir, updated->config);
    if (ec) co_await apply(topic->config, false);
    busy_.erase(name);
    applied = !ec;
    if (!ec) log_info("topic " + name + ": the disk was full; applied the new retention before persisting it");
  }
  if (ec) {
    // A full disk is NOT_ENOUGH_SPACE here too, so a client can tell it apart.
    co_return status(to_status(ec).code, "could not persist configs: " + ec.message());
  }
  topics_.replace(updated);
  if (!applied) co_await apply(updated->config, false);
  log_info("altered topic " + name + ":" + changes);
  co_return Status{};
}

}  // namespace strata::broker
