// Deleting a topic: answered once the deletion is durable, finished in the
// background (a 10,000-partition topic took minutes inside one DeleteTopic
// call), and finished at the next start if the broker stops first.
//
// On disk a deletion is two durable steps, so that a topic answered NONE
// never comes back and no name the broker makes outgrows NAME_MAX (255): a
// topic directory's name is up to 249 characters, so nothing is appended
// to it.
//   1. <data>/<topic>/strata~deleting: an empty marker, written and synced
//      before DeleteTopic answers. A topic directory holding it is never
//      loaded again: the next start goes on with step 2.
//   2. Once every partition is dropped, the directory is renamed to
//      <data>/strata~deleting~<N> (short, and '~' never appears in a topic
//      name), the root synced, and removed on the blocking pool. A leftover
//      strata~deleting~<N> is removed after the next start.
// From 1 until the files are removed (the disk space is free) the name is
// TOPIC_BEING_DELETED (retriable) to CreateTopic, DeleteTopic, AlterConfigs
// and Metadata; after a restart the name is free at once, the files of a
// renamed directory going in the background.
#include "broker/core/broker.h"
#include "broker/core/error_mapping.h"
#include "broker/ops/metrics.h"
#include "broker/runtime/logger.h"
#include "broker/runtime/parallel_calls.h"
#include "protocol/record.h"

namespace strata::broker {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDeletingMarker = "strata~deleting";
constexpr std::string_view kDoomedPrefix = "strata~deleting~";
// Before issue 16 a deletion renamed <topic> to <topic>~deleting<N>, which
// outgrew NAME_MAX for long names; leftovers of that are removed too.
constexpr std::string_view kOldDoomedInfix = "~deleting";

// Runs on `shard` (every shard, even one owning none of the partitions):
// forgets the topic's traffic counted by this shard's connections (a topic
// created under the name later starts from zero, and names that come and go
// do not grow the map), drops the topic's `partitions` it owns, then waits
// until no group commit of them is running, since a ticket in flight still
// writes its checkpoint into the partition's directory. Only then may it go.
awaitable<int> drop_on_shard(Shard& shard, std::string topic, std::vector<std::uint32_t> partitions) {
  local_metrics().topic_out.erase(topic);
  std::vector<PartitionPtr> dropped;
  for (const auto p : partitions) {
    if (PartitionPtr part = shard.drop_partition(topic, p)) dropped.push_back(std::move(part));
  }
  asio::steady_timer pause(shard.context());
  for (const auto& p : dropped) {
    while (p->log->sync_in_flight()) {  // a ticket takes an fdatasync or two
      pause.expires_after(std::chrono::milliseconds(1));
      co_await pause.async_wait(asio::use_awaitable);
    }
  }
  co_return static_cast<int>(dropped.size());
}

}  // namespace

Status Broker::being_deleted(const std::string& name) {
  return {Errc::topic_being_deleted,
          "topic '" + name + "' is being deleted (its partitions are closing): retry in a moment"};
}

fs::path Broker::next_doomed_path() {
  fs::path doomed;
  do {  // skips leftovers of an earlier run not yet removed
    doomed = fs::path(config_.data_dir) / (std::string(kDoomedPrefix) + std::to_string(++deletions_));
  } while (fs_.exists(doomed));
  return doomed;
}

Result<bool> Broker::resume_deletion(const std::string& entry) {
  const fs::path data(config_.data_dir);
  fs::path doomed = data / entry;
  if (entry.starts_with(kDoomedPrefix) || entry.find(kOldDoomedInfix) != std::string::npos) {
    // removed after the start, below
  } else if (fs_.exists(data / entry / kDeletingMarker)) {
    doomed = next_doomed_path();
    if (auto ec = fs_.rename(data / entry, doomed)) return ec;
    if (auto ec = fs_.sync_directory(data)) return ec;
  } else {
    return false;
  }
  log_info("finishing the deletion of " + entry + ", which the broker's last run began");
  pending_removals_.push_back(doomed);
  return true;
}

void Broker::remove_doomed(fs::path doomed) {
  const auto t0 = std::chrono::steady_clock::now();
  // Partition by partition, so a stopping broker does not wait for all.
  if (auto children = fs_.list(doomed)) {
    for (const auto& child : children.value()) {
      if (stopping()) return;  // the next start goes on
      if (auto ec = fs_.remove_all(doomed / child)) {
        log_warn("removing " + (doomed / child).string() + " failed (" + ec.message() +
                 "); the next start of the broker tries again");
        return;
      }
    }
  }
  if (auto ec = fs_.remove_all(doomed)) {
    log_warn("removing " + doomed.string() + " failed (" + ec.message() + "); the next start tries again");
    return;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  log_info("removed the files of a deleted topic (" + doomed.filename().string() + ") in " +
           std::to_string(ms.count()) + " ms");
}

void Broker::start_removals() {
  for (auto& doomed : pending_removals_) asio::post(blocking_, [this, doomed] { remove_doomed(doomed); });
  pending_removals_.clear();
}

// What DeleteTopic waits for, up to delete.topic.wait.ms. Threads: shard 0.
struct Broker::DeletionProgress {
  explicit DeletionProgress(asio::io_context& ctx) : timer(ctx) {}
  asio::steady_timer timer;  // cancelled when the deletion ends, either way
  bool done = false;
  std::error_code failed;

  void finish(std::error_code ec) {
    done = true;
    failed = ec;
    timer.cancel();
  }
};

awaitable<Status> Broker::delete_local_topic(std::string name) {
  if (topics_.deleting(name)) co_return being_deleted(name);
  if (busy_.contains(name)) co_return Status{Errc::unknown_topic, "topic '" + name + "' is being changed"};
  TopicPtr topic = topics_.find(name);
  if (!topic) co_return Status{Errc::unknown_topic, "topic '" + name + "' does not exist"};
  // Step 1: until the marker is durable nothing has changed, and a failure
  // is answered as such.
  const fs::path dir = fs::path(config_.data_dir) / name;
  if (auto ec = storage::replace_file(fs_, dir / kDeletingMarker, protocol::Bytes{}, true)) {
    log_error("cannot delete topic " + name + ": writing " + kDeletingMarker + " failed: " + ec.message());
    co_return Status{to_status(ec).code, "could not delete topic '" + name + "': " + ec.message()};
  }
  topics_.mark_deleting(name);
  topics_.erase(name);
  auto progress = std::make_shared<DeletionProgress>(shards_[0]->context());
  asio::co_spawn(shards_[0]->context(), finish_deletion(topic, progress), asio::detached);
  if (config_.delete_topic_wait_ms > 0) {
    progress->timer.expires_after(std::chrono::milliseconds(config_.delete_topic_wait_ms));
    boost::system::error_code ignored;
    co_await progress->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  if (progress->failed) {
    co_return Status{to_status(progress->failed).code,
                             "topic '" + name + "' is deleted but its directory could not be renamed away (" +
                                 progress->failed.message() + "): the broker finishes at its next start"};
  }
  if (!progress->done) {
    log_info("deleting topic " + name + " (" + std::to_string(topic->shard_of.size()) +
             " partitions) goes on in the background; until it ends the name is TOPIC_BEING_DELETED");
  }
  co_return Status{};
}

awaitable<void> Broker::finish_deletion(TopicPtr topic, std::shared_ptr<DeletionProgress> progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string& name = topic->name;
  std::vector<std::vector<std::uint32_t>> by_shard(shards_.size());
  for (std::uint32_t p = 0; p < topic->shard_of.size(); ++p) by_shard[topic->shard_of[p]].push_back(p);
  ParallelCalls<int> calls(co_await asio::this_coro::executor);
  std::vector<int> dropped(shards_.size(), 0);
  for (unsigned s = 0; s < shards_.size(); ++s) {
    calls.start(*shards_[s], drop_on_shard(*shards_[s], name, by_shard[s]), &dropped[s]);
  }
  co_await calls.wait();
  // Step 2. If the rename fails the name stays TOPIC_BEING_DELETED until
  // the next start, which finishes the deletion: re-creating it now would
  // bring the old records back.
  const fs::path data(config_.data_dir);
  const fs::path doomed = next_doomed_path();
  std::error_code ec = fs_.rename(data / name, doomed);
  if (!ec) ec = fs_.sync_directory(data);
  if (ec) {
    log_error("deleting topic " + name + ": renaming its directory failed (" + ec.message() +
              "); it stays 'being deleted' until the next start of the broker finishes it");
    progress->finish(ec);
    co_return;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  log_info("closed the " + std::to_string(topic->shard_of.size()) + " partitions of topic " + name + " in " +
           std::to_string(ms.count()) + " ms; its files are being removed in the background");
  if (stopping()) co_return;
  asio::post(blocking_, [this, doomed, progress, name] {
    remove_doomed(doomed);
    asio::post(shards_[0]->context(), [this, progress, name] {
      topics_.unmark_deleting(name);
      log_info("deleted topic " + name);
      progress->finish({});
    });
  });
}

}  // namespace strata::broker
