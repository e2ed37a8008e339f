// Deleting a topic, and finishing at the next start a deletion that a crash
// (or a failed rename) interrupted.
//
// On disk a deletion is two durable steps, so that a topic answered NONE
// never comes back and no name the broker makes outgrows NAME_MAX (255): a
// topic directory's name is up to 249 characters, so nothing is appended
// to it.
//   1. <data>/<topic>/strata~deleting: an empty marker, written and synced
//      before anything else. A topic directory holding it is never loaded
//      again: the next start goes on with step 2.
//   2. The directory is renamed to <data>/strata~deleting~<N> (short, and
//      '~' never appears in a topic name), the root synced, and then
//      removed. A leftover strata~deleting~<N> is removed at the next start.
#include "broker/broker.h"
#include "broker/error_mapping.h"
#include "broker/logger.h"
#include "protocol/record.h"

namespace strata::broker {

namespace fs = std::filesystem;
using protocol::ErrorCode;
using protocol::StatusResponse;

namespace {

constexpr const char* kDeletingMarker = "strata~deleting";
constexpr std::string_view kDoomedPrefix = "strata~deleting~";
// Before issue 16 a deletion renamed <topic> to <topic>~deleting<N>, which
// outgrew NAME_MAX for long names; leftovers of that are removed too.
constexpr std::string_view kOldDoomedInfix = "~deleting";

// For a topic being deleted: drops the partition, then waits until no
// group commit of it is running, since a ticket in flight still writes its
// checkpoint into the partition's directory. Only then may it be deleted.
awaitable<void> drop_on_shard(Shard& shard, std::string topic, std::uint32_t partition) {
  PartitionPtr p = shard.drop_partition(topic, partition);
  if (!p) co_return;
  asio::steady_timer pause(shard.context());
  while (p->log->sync_in_flight()) {  // a ticket takes an fdatasync or two
    pause.expires_after(std::chrono::milliseconds(1));
    co_await pause.async_wait(asio::use_awaitable);
  }
}

}  // namespace

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
    // removed below
  } else if (fs_.exists(data / entry / kDeletingMarker)) {
    doomed = next_doomed_path();
    if (auto ec = fs_.rename(data / entry, doomed)) return ec;
    if (auto ec = fs_.sync_directory(data)) return ec;
  } else {
    return false;
  }
  log_info("finishing the deletion of " + entry + ", which the broker's last run began");
  if (auto ec = fs_.remove_all(doomed)) return ec;
  return true;
}

awaitable<StatusResponse> Broker::delete_topic(std::string name) {
  if (busy_.contains(name)) co_return StatusResponse{ErrorCode::unknown_topic, "topic '" + name + "' is being changed"};
  TopicPtr topic = topics_.find(name);
  if (!topic) co_return StatusResponse{ErrorCode::unknown_topic, "topic '" + name + "' does not exist"};
  const fs::path data(config_.data_dir);
  const fs::path dir = data / name;
  // Step 1: until the marker is durable nothing has changed, and a failure
  // is answered as such.
  if (auto ec = storage::replace_file(fs_, dir / kDeletingMarker, protocol::Bytes{}, true)) {
    log_error("cannot delete topic " + name + ": writing " + kDeletingMarker + " failed: " + ec.message());
    co_return StatusResponse{to_wire_error(ec).code, "could not delete topic '" + name + "': " + ec.message()};
  }
  topics_.erase(name);
  busy_.insert(name);
  for (std::uint32_t p = 0; p < topic->shard_of.size(); ++p) {
    Shard& owner = *shards_[topic->shard_of[p]];
    co_await asio::co_spawn(owner.context(), drop_on_shard(owner, name, p), asio::use_awaitable);
  }
  // Step 2. If the rename fails the name stays taken until the next start,
  // which finishes the deletion: re-creating it now would bring the old
  // records back.
  const fs::path doomed = next_doomed_path();
  std::error_code ec = fs_.rename(dir, doomed);
  if (!ec) ec = fs_.sync_directory(data);
  if (ec) {
    log_error("deleting topic " + name + ": renaming its directory failed (" + ec.message() +
              "); the next start of the broker finishes the deletion");
    co_return StatusResponse{to_wire_error(ec).code, "topic '" + name + "' is deleted but its files are not: " +
                                                         ec.message() + "; the broker finishes at its next start"};
  }
  busy_.erase(name);
  if (auto left = fs_.remove_all(doomed)) {
    log_warn("deleted topic " + name + ", but removing its files failed (" + left.message() + "); " +
             doomed.string() + " is removed at the next start");
  } else {
    log_info("deleted topic " + name);
  }
  co_return StatusResponse{};
}

}  // namespace strata::broker
