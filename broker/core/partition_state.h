// What a shard keeps per partition it owns: the log and the long-poll
// fetches waiting for it to grow. Threads: the owning shard only. Held by
// shared_ptr so a sync ticket or a deleted topic's last request can finish
// after the shard has dropped it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/partition_log.h"

namespace strata::broker {

struct PartitionState {
  std::string topic;
  std::uint32_t partition = 0;
  std::uint32_t max_message_bytes = 0;
  std::unique_ptr<storage::PartitionLog> log;
  // Appended (duplicates not counted), for metrics; read on a scrape.
  std::uint64_t messages_in = 0;
  std::uint64_t bytes_in = 0;
  // One-shot wake-ups, called (on this shard) after the next append.
  std::vector<std::function<void()>> fetch_waiters;

  void notify_appended() {
    auto waiters = std::move(fetch_waiters);
    fetch_waiters.clear();
    for (auto& wake : waiters) wake();
  }
};

using PartitionPtr = std::shared_ptr<PartitionState>;

}  // namespace strata::broker
