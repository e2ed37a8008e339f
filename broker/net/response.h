// A response ready to write: frames as byte chunks, each optionally
// followed by a slice of a segment file that goes out with sendfile(2).
#pragma once

#include <cstdint>
#include <vector>

#include "broker/core/shard_affinity.h"
#include "protocol/error_code.h"
#include "storage/segment.h"

namespace strata::broker {

struct ResponseChunk {
  std::vector<std::uint8_t> bytes;
  storage::SegmentSlice slice;  // slice.length == 0: none
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
