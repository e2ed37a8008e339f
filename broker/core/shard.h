// A shard: one io_context run by one thread, owning a set of partitions and
// the file cache their segments share (DESIGN decision 5). Everything that
// touches an owned partition runs on this shard's thread; other threads
// reach it with asio::post / co_spawn on context().
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <thread>

#include "broker/runtime/asio.h"
#include "broker/core/broker_config.h"
#include "broker/ops/metrics.h"
#include "broker/core/partition_state.h"
#include "storage/file_cache.h"
#include "storage/posix_file_system.h"

namespace strata::broker {

class Shard {
 public:
  // blocking: the pool fdatasyncs run on; outlives the shard.
  Shard(unsigned id, const BrokerConfig& config, storage::FileSystem& fs, asio::thread_pool& blocking);
  ~Shard();

  [[nodiscard]] unsigned id() const noexcept { return id_; }
  [[nodiscard]] asio::io_context& context() noexcept { return context_; }

  // Opens (recovering as needed) a partition's log with this shard's file
  // cache, without adding it. Threads: any before start() (start-up opens
  // partitions in parallel), else this shard's thread.
  [[nodiscard]] Result<std::unique_ptr<storage::PartitionLog>> open_log(const storage::fs::path& dir,
                                                                        const TopicConfig& config);
  // REQUIRES (these five): called on this shard's thread, or before start().
  // Serves an open log (from open_log) as topic/partition.
  PartitionPtr add_partition(const std::string& topic, std::uint32_t partition, const TopicConfig& config,
                             std::unique_ptr<storage::PartitionLog> log);
  [[nodiscard]] Result<PartitionPtr> open_partition(const storage::fs::path& dir, const std::string& topic,
                                                    std::uint32_t partition, const TopicConfig& config);
  [[nodiscard]] PartitionPtr find(const std::string& topic, std::uint32_t partition) const;
  // Closes the partition cleanly and forgets it.
  void close_partition(const std::string& topic, std::uint32_t partition);
  // For a topic being deleted: forgets the partition and abandons its log
  // (nothing more is written into its directory by this shard; waiting
  // fetches and durable acks learn it is gone). Returns it, or null, so the
  // caller can wait for a sync ticket still running (sync_in_flight()).
  PartitionPtr drop_partition(const std::string& topic, std::uint32_t partition);
  // Closes every partition cleanly (shutdown).
  void close_all();
  // close_all() of many shards at once: one PartitionLog::close_many over
  // all their partitions. REQUIRES: every shard stopped (or not started);
  // all share one FileSystem.
  static void close_all(std::span<Shard* const> shards);
  void apply_config(const std::string& topic, const TopicConfig& config);

  // Group commit: starts a sync of p if none is in flight; the ticket runs
  // on the blocking pool and completes back on this shard, restarting
  // while waiters remain. REQUIRES: on this shard's thread.
  void request_sync(const PartitionPtr& p);

  // Runs retention over every owned partition now.
  void run_retention();
  // Background flush: queues every owned partition and syncs those with
  // unsynced appends, at most kMaxBackgroundSyncs at a time, so neither the
  // blocking pool (which durable acks need) nor the descriptor budget (a
  // ticket holds its active log open) is swamped by thousands of partitions.
  void flush_all();
  static constexpr int kMaxBackgroundSyncs = 4;

  void start();  // the thread and the retention and flush timers
  void stop();   // stops the loop and joins the thread
  [[nodiscard]] std::size_t partition_count() const noexcept { return partitions_.size(); }
  using PartitionMap = std::map<std::pair<std::string, std::uint32_t>, PartitionPtr>;
  // REQUIRES (both): on this shard's thread (metrics_snapshot.h).
  [[nodiscard]] const PartitionMap& partitions() const noexcept { return partitions_; }
  [[nodiscard]] ShardMetrics& metrics() noexcept { return metrics_; }

 private:
  // Starts queued background syncs up to kMaxBackgroundSyncs.
  void pump_flushes();
  // Runs the ticket on the blocking pool, completes it here, then calls done.
  void run_sync(const PartitionPtr& p, storage::SyncTicket ticket, std::function<void()> done);
  // Calls (this->*task)() every interval_ms until the loop stops.
  awaitable<void> every(std::int64_t interval_ms, void (Shard::*task)());

  unsigned id_;
  const BrokerConfig& config_;
  asio::io_context context_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  asio::thread_pool& blocking_;
  storage::FileCache cache_;
  PartitionMap partitions_;
  ShardMetrics metrics_;  // bound to the thread as local_metrics()
  std::deque<PartitionPtr> flush_queue_;  // background flush pass in progress
  int background_syncs_ = 0;
  std::thread thread_;
};

// Completes when every offset below `end` of p is durable, or with the error
// that prevents it. REQUIRES: awaited on p's shard.
awaitable<std::error_code> wait_durable(Shard& shard, PartitionPtr p, storage::Offset end);

}  // namespace strata::broker
