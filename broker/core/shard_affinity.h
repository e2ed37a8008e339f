// The shards a request's partitions live on, as far as a connection
// choosing its home shard cares (net/connection.h): one shard, several, or
// none (an admin request, or only unknown partitions). The service reports
// it with each data-path answer.
#pragma once

namespace strata::broker {

class ShardAffinity {
 public:
  void add(unsigned shard) noexcept {
    if (shard_ == kNone) {
      shard_ = static_cast<int>(shard);
    } else if (shard_ != static_cast<int>(shard)) {
      shard_ = kMany;
    }
  }
  [[nodiscard]] bool none() const noexcept { return shard_ == kNone; }
  [[nodiscard]] bool many() const noexcept { return shard_ == kMany; }
  // REQUIRES: !none() && !many().
  [[nodiscard]] unsigned shard() const noexcept { return static_cast<unsigned>(shard_); }

 private:
  static constexpr int kNone = -1;
  static constexpr int kMany = -2;
  int shard_ = kNone;
};

}  // namespace strata::broker
