// Broker start-up: the data directory's topics are read, then every
// partition is opened (after a crash: recovered) on a bounded pool of
// recovery.threads threads, then handed to its shard.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "broker/core/broker.h"
#include "broker/core/data_dir_names.h"
#include "broker/runtime/logger.h"
#include "protocol/topic_name.h"
#include "storage/data_dir_format.h"
#include "storage/data_dir_lock.h"
#include "storage/storage_errc.h"

namespace strata::broker {

namespace fs = std::filesystem;

namespace {

// Runs work(0) .. work(count - 1) on at most `threads` threads, returning
// once every call has.
template <typename Work>
void run_parallel(std::size_t count, unsigned threads, const Work& work) {
  std::atomic<std::size_t> next{0};
  auto loop = [&] {
    for (std::size_t i = next++; i < count; i = next++) work(i);
  };
  std::vector<std::thread> pool;
  const std::size_t n = std::min<std::size_t>(threads, count);
  for (std::size_t t = 1; t < n; ++t) pool.emplace_back(loop);
  loop();
  for (auto& t : pool) t.join();
}

// One partition to open at start-up.
struct OpenJob {
  std::shared_ptr<TopicInfo> topic;
  std::uint32_t partition = 0;
  std::unique_ptr<storage::PartitionLog> log;  // opened, or
  std::error_code error;                       // why not
};

}  // namespace

Result<std::shared_ptr<TopicInfo>> Broker::read_topic(const std::string& name) {
  const fs::path dir = fs::path(config_.data_dir) / name;
  STRATA_TRY(auto text, storage::read_small_file(fs_, dir / kTopicConfigFile, 1 << 20));
  auto info = std::make_shared<TopicInfo>();
  info->name = name;
  info->config = config_.topic_defaults;
  const std::string_view view(reinterpret_cast<const char*>(text.data()), text.size());
  if (auto err = parse_topic_config(info->config, view)) {
    log_error("topic " + name + ": bad " + kTopicConfigFile + ": " + *err);
    return storage::StorageErrc::corruption;
  }
  for (std::uint32_t p = 0; p < info->config.partitions; ++p) info->shard_of.push_back(next_shard());
  return info;
}

std::error_code Broker::load() {
  const auto started = std::chrono::steady_clock::now();
  const fs::path data(config_.data_dir);
  if (auto ec = fs_.create_directories(data)) return ec;
  // Before anything in the directory is read or written (DataDirLock).
  if (auto refusal = lock_.acquire(data); !refusal.empty()) {
    log_error(refusal);
    return storage::StorageErrc::data_dir_locked;
  }
  auto checked = storage::check_data_dir(fs_, data);
  if (!checked || !checked.value().refusal.empty()) {
    if (checked) log_error(checked.value().refusal);
    lock_.release_and_forget();
    return checked ? std::error_code(storage::StorageErrc::unsupported_data_format) : checked.error();
  }
  const storage::DataDirCheck& format = checked.value();
  if (format.created) log_info("created a new data directory " + data.string() + " (format " +
                               std::to_string(storage::kDataFormatVersion) + ")");
  if (auto ec = producer_ids_.load()) {
    log_error(std::string("cannot read ") + kProducerIdsFile + ": " + ec.message());
    return ec;
  }
  STRATA_TRY(auto names, fs_.list(data));
  std::sort(names.begin(), names.end());
  std::vector<std::shared_ptr<TopicInfo>> topics;
  std::vector<OpenJob> jobs;
  for (const auto& name : names) {
    STRATA_TRY(const bool deleted, resume_deletion(name));
    if (deleted) continue;
    if (name == storage::kMetaFileName || name == kProducerIdsFile || name == storage::kLockFileName ||
        name == kClusterLeaseFile) {
      continue;
    }
    if (!protocol::valid_topic_name(name) || !fs_.exists(data / name / kTopicConfigFile)) {
      log_warn("ignoring " + (data / name).string() + ": not a topic directory");
      continue;
    }
    STRATA_TRY(auto info, read_topic(name));
    topics.push_back(info);
    for (std::uint32_t p = 0; p < info->config.partitions; ++p) jobs.push_back({info, p, nullptr, {}});
  }
  // Partitions are independent: each open reads only its own directory,
  // through its shard's (locked) file cache.
  run_parallel(jobs.size(), config_.recovery_threads, [this, &jobs](std::size_t i) {
    OpenJob& job = jobs[i];
    const unsigned shard = job.topic->shard_of[job.partition];
    auto opened = shards_[shard]->open_log(partition_dir(job.topic->name, job.partition), job.topic->config);
    if (opened) {
      job.log = std::move(opened).value();
    } else {
      job.error = opened.error();
    }
  });
  storage::RecoveryReport all;
  std::size_t recovered = 0;
  for (std::size_t i = 0; i < jobs.size();) {
    // One topic's partitions are consecutive.
    const auto& topic = jobs[i].topic;
    storage::RecoveryReport total;
    total.clean_shutdown = true;
    for (; i < jobs.size() && jobs[i].topic == topic; ++i) {
      OpenJob& job = jobs[i];
      if (job.error) {
        log_error("topic " + topic->name + " partition " + std::to_string(job.partition) + ": " +
                  job.error.message());
        return job.error;
      }
      const auto& r = job.log->recovery_report();
      total.bytes_scanned += r.bytes_scanned;
      total.bytes_truncated += r.bytes_truncated;
      total.producer_state_bytes += r.producer_state_bytes;
      total.clean_shutdown = total.clean_shutdown && r.clean_shutdown;
      recovered += r.clean_shutdown ? 0 : 1;
      shards_[topic->shard_of[job.partition]]->add_partition(topic->name, job.partition, topic->config,
                                                             std::move(job.log));
    }
    log_debug("loaded topic " + topic->name + ": " + std::to_string(topic->config.partitions) + " partitions, " +
              (total.clean_shutdown ? "clean" : "recovered") + ", scanned " + std::to_string(total.bytes_scanned) +
              " bytes, truncated " + std::to_string(total.bytes_truncated) + ", producer state " +
              std::to_string(total.producer_state_bytes) + " bytes");
    all.bytes_scanned += total.bytes_scanned;
    all.producer_state_bytes += total.producer_state_bytes;
  }
  for (auto& info : topics) topics_.insert(std::move(info));
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  log_info("loaded " + std::to_string(topics_.list().size()) + " topics with " +
           std::to_string(topics_.partition_count()) + " partitions from " + data.string() + " in " +
           std::to_string(ms) + " ms (recovery threads: " +
           std::to_string(std::min<std::size_t>(config_.recovery_threads, std::max<std::size_t>(jobs.size(), 1))) +
           "); " + std::to_string(recovered) + " of them had not been closed cleanly and were checked by reading " +
           std::to_string(all.bytes_scanned) + " bytes; the producer state took " +
           std::to_string(all.producer_state_bytes) + " bytes to read");
  return {};
}

}  // namespace strata::broker
