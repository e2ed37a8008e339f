// A response ready to write: frames as byte chunks, each optionally
// followed by a slice of a segment file that goes out with sendfile(2).
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/error_code.h"
#include "storage/segment.h"

namespace strata::broker {

struct ResponseChunk {
  std::vector<std::uint8_t> bytes;
  storage::SegmentSlice slice;  // slice.length == 0: none
};

// The shards a request's partitions live on, as far as a connection
// choosing its home shard cares (connection.h): one shard, several, or none
// (an admin request, or only unknown partitions).
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

struct Response {
  std::vector<ResponseChunk> chunks;
  ShardAffinity affinity;    // of the request this answers
  bool send = true;          // false for acks=none produce
  bool close_after = false;  // request-level errors that end the connection
  // A request-level error this frame answers with (counted in the metrics
  // by handle_request; per-partition errors are counted where they arise).
  protocol::ErrorCode error = protocol::ErrorCode::none;

  static Response frame(std::vector<std::uint8_t> bytes, bool close_after = false) {
    Response r;
    r.chunks.push_back({std::move(bytes), {}});
    r.close_after = close_after;
    return r;
  }
};

}  // namespace strata::broker
