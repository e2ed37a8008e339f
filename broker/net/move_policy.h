// When a connection should move to another shard (DESIGN decision 5): once
// its last kMoveAfter partition requests all used partitions of one other
// shard. Admin requests (no partitions) neither count nor reset the run; a
// request that used the home shard, or several, resets it.
//
// Threads: the connection's (plain value).
#pragma once

#include <optional>

#include "broker/core/shard_affinity.h"

namespace strata::broker {

class MovePolicy {
 public:
  static constexpr unsigned kMoveAfter = 8;

  // Counts one answered request of a connection living on `home`.
  void note(const ShardAffinity& affinity, unsigned home) noexcept {
    if (affinity.none()) return;
    if (affinity.many() || affinity.shard() == home) {
      shard_ = -1;
      run_ = 0;
      return;
    }
    const auto shard = static_cast<int>(affinity.shard());
    run_ = shard_ == shard ? run_ + 1 : 1;
    shard_ = shard;
  }
  // The shard to move to, once the run is long enough.
  [[nodiscard]] std::optional<unsigned> due() const noexcept {
    if (run_ < kMoveAfter) return std::nullopt;
    return static_cast<unsigned>(shard_);
  }

 private:
  int shard_ = -1;    // the other shard the last requests used, or -1
  unsigned run_ = 0;  // consecutive requests that used only it
};

}  // namespace strata::broker
