// The topics with an admin operation under way (create, alter, add
// partitions), and the requests waiting for one to finish: an auto-create
// that finds the name busy waits for that operation's end, not a poll.
//
// Threads: shard 0 only (the admin shard), like every admin operation.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "broker/runtime/asio.h"

namespace strata::broker {

class BusyTopics {
 public:
  [[nodiscard]] bool contains(const std::string& name) const { return waiters_.contains(name); }
  // REQUIRES: !contains(name).
  void insert(const std::string& name);
  // Ends the operation on `name` and wakes every wait_until_free of it.
  void erase(const std::string& name);
  // Returns once `name` is not busy (at once if it is not now).
  awaitable<void> wait_until_free(std::string name);

 private:
  using Waiter = std::shared_ptr<asio::steady_timer>;
  std::map<std::string, std::vector<Waiter>> waiters_;  // a key per busy name
};

}  // namespace strata::broker
