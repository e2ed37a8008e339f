// The live connections of a listener, for max.connections and a drain.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace strata::broker {

class Connection;

// Counts live connections and reaches them for a drain. Threads: any.
// count() is what max.connections bounds; connections being refused are
// counted apart (refusing()), so a refusal never keeps a place a served
// client could take.
class ConnectionTracker {
 public:
  [[nodiscard]] std::uint32_t count() const noexcept { return count_.load(); }
  [[nodiscard]] std::uint32_t refusing() const noexcept { return refusing_.load(); }
  // refusing: counted in refusing(), not count().
  void add(const std::shared_ptr<Connection>& c, bool refusing);
  // A connection moved to another shard: it keeps the place its old
  // object held in the count.
  void add_moved(const std::shared_ptr<Connection>& c);
  void remove(bool refusing) noexcept { --(refusing ? refusing_ : count_); }
  void drain_all();

 private:
  std::atomic<std::uint32_t> count_{0};
  std::atomic<std::uint32_t> refusing_{0};
  std::mutex mu_;
  std::vector<std::weak_ptr<Connection>> connections_;
};

}  // namespace strata::broker
