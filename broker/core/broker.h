// The broker: its shards, topic registry, blocking pool, and the topic
// lifecycle (load at start-up, create, alter, delete, clean shutdown).
//
// Threads: admin operations run as coroutines on shard 0 (so they are
// serialised without locks) and reach other shards by co_spawn; data
// requests go straight to the owning shard.
#pragma once

#include <atomic>
#include <memory>
#include <set>
#include <vector>

#include "broker/runtime/asio.h"
#include "broker/core/broker_config.h"
#include "broker/core/busy_topics.h"
#include "broker/core/cluster_hooks.h"
#include "broker/net/inflight_budget.h"
#include "broker/core/producer_ids.h"
#include "broker/core/shard.h"
#include "broker/core/topic_registry.h"
#include "broker/core/status.h"
#include "broker/core/topic_spec.h"
#include "storage/data_dir_lock.h"
#include "storage/journaling_file_system.h"

namespace strata::broker {

class Broker {
 public:
  explicit Broker(BrokerConfig config);
  ~Broker();

  // Creates the data directory, locks it for the broker's life (another
  // broker on it is refused, by PID), sweeps half-deleted topics, and
  // recovers every topic's partitions (before the shard threads start).
  [[nodiscard]] std::error_code load();
  // Starts the shard threads, and the removal of deleted topics' files
  // that load() found.
  void start_shards();
  // Stops the shard threads, waits for in-flight syncs, then closes every
  // partition cleanly (sync, checkpoint, clean-shutdown marker).
  void shutdown();

  [[nodiscard]] const BrokerConfig& config() const noexcept { return config_; }
  // Set when shutdown begins: long polls answer at once. Threads: any.
  void begin_stopping() noexcept { stopping_.store(true); }
  [[nodiscard]] bool stopping() const noexcept { return stopping_.load(std::memory_order_relaxed); }
  [[nodiscard]] TopicRegistry& topics() noexcept { return topics_; }
  // max.inflight.bytes over every connection. Threads: any.
  [[nodiscard]] InflightBudget& inflight_budget() noexcept { return inflight_; }
  [[nodiscard]] Shard& shard(unsigned i) noexcept { return *shards_[i]; }
  [[nodiscard]] unsigned shard_count() const noexcept { return static_cast<unsigned>(shards_.size()); }
  [[nodiscard]] storage::fs::path partition_dir(const std::string& topic, std::uint32_t p) const;

  // Admin operations. REQUIRES: awaited on shard 0's executor. In cluster
  // mode they go to the cluster (ClusterHooks), which applies them back
  // through the *_local calls on every broker.
  awaitable<Status> create_topic(TopicSpec spec);
  awaitable<Status> delete_topic(std::string name);
  // Sets the given keys (the others keep their values); "partitions" alone
  // adds partitions.
  awaitable<Status> alter_configs(std::string name, std::vector<ConfigSetting> configs);
  // The same on this broker's disk only.
  awaitable<Status> create_local_topic(TopicSpec spec);
  awaitable<Status> delete_local_topic(std::string name);
  awaitable<Status> alter_local_configs(std::string name, std::vector<ConfigSetting> configs);
  // The name, partition count and configs of a CreateTopic, checked; on
  // success `config` holds the topic's configs.
  [[nodiscard]] Status check_topic_spec(const TopicSpec& spec, TopicConfig& config) const;
  // Cluster mode. REQUIRES: set before start_shards(), never changed after.
  void set_cluster(std::shared_ptr<ClusterHooks> hooks) { cluster_ = std::move(hooks); }
  [[nodiscard]] const ClusterHooks* cluster() const noexcept { return cluster_.get(); }
  // The one door to the disk every part of the broker uses (decision 7;
  // with test.durability.journal, the journalling one). Any thread.
  [[nodiscard]] storage::FileSystem& file_system() noexcept { return fs_; }
  // Cluster mode: producer ids carry this node id (ProducerIds::set_node).
  // REQUIRES: before start_shards().
  void set_producer_id_node(std::int32_t node) noexcept { producer_ids_.set_node(node); }
  // InitProducerId: a new producer (current.id == -1) or the next epoch of
  // `current`. REQUIRES: called on shard 0's thread.
  [[nodiscard]] ProducerIdGrant init_producer_id(ProducerIdentity current) {
    return producer_ids_.init(current);
  }
  // Auto-creation with the defaults; returns the topic or null.
  awaitable<TopicPtr> ensure_topic(std::string name);

 private:
  unsigned next_shard() noexcept { return next_shard_++ % shard_count(); }
  // A topic's settings from its directory, its partitions given shards.
  [[nodiscard]] Result<std::shared_ptr<TopicInfo>> read_topic(const std::string& name);
  // At load, for one entry of the data directory: finishes a deletion a
  // crash interrupted (a topic directory with the deletion marker, or a
  // renamed-away one). True if the entry was such; it is then gone.
  [[nodiscard]] Result<bool> resume_deletion(const std::string& entry);
  // <data>/strata~deleting~N for an N no entry has.
  [[nodiscard]] storage::fs::path next_doomed_path();
  // The rest of a deletion DeleteTopic accepted (topic_deletion.cpp).
  // REQUIRES: runs on shard 0.
  // AlterConfigs of "partitions" (topic_partitions.cpp). REQUIRES: shard 0.
  awaitable<Status> add_partitions(TopicPtr topic, std::string value);
  // Runs on `shard`: opens (creating) or closes one partition.
  static awaitable<std::error_code> open_on_shard(Shard& shard, storage::fs::path dir, std::string topic,
                                                  std::uint32_t partition, TopicConfig config);
  static awaitable<void> close_on_shard(Shard& shard, std::string topic, std::uint32_t partition);
  // topic.conf in `dir`, durably.
  [[nodiscard]] std::error_code write_topic_config(const storage::fs::path& dir, const TopicConfig& config);
  struct DeletionProgress;
  awaitable<void> finish_deletion(TopicPtr topic, std::shared_ptr<DeletionProgress> progress);
  // Removes a renamed-away topic directory. Runs on the blocking pool;
  // gives up (for the next start) when the broker is stopping.
  void remove_doomed(storage::fs::path doomed);
  // Queues the removals resume_deletion found (after the shards start).
  void start_removals();
  [[nodiscard]] static Status being_deleted(const std::string& name);

  BrokerConfig config_;
  // First member after the config: released last, after every partition closed.
  storage::DataDirLock lock_;
  storage::PosixFileSystem posix_;
  // test.durability.journal set: posix_ behind a journal of what each sync
  // made durable (power-loss tests), else null.
  std::unique_ptr<storage::JournalingFileSystem> journaled_;
  storage::FileSystem& fs_;  // every file of the broker goes through it
  asio::thread_pool blocking_;
  std::vector<std::unique_ptr<Shard>> shards_;
  TopicRegistry topics_;
  ProducerIds producer_ids_;
  unsigned next_shard_ = 0;
  BusyTopics busy_;  // topics with an admin operation under way (shard 0 only)
  std::uint64_t deletions_ = 0;  // N of the last strata~deleting~N made
  std::vector<storage::fs::path> pending_removals_;  // found by load(), queued by start_shards()
  bool stopped_ = false;
  std::atomic<bool> stopping_{false};
  InflightBudget inflight_{config_.max_inflight_bytes};
  std::shared_ptr<ClusterHooks> cluster_;
};

}  // namespace strata::broker
