// How many record bytes one Fetch response may carry (the rule of Kafka's
// KIP-74): the request's max_bytes bounds the records of the whole
// response, except that the first partition with data may return one whole
// batch larger than the budget, so a batch larger than max_bytes still makes
// progress. Every later partition returns nothing once its data does not fit
// what is left (error NONE, no records: the client asks again). Whatever the
// request asks, the response frame never exceeds the broker's limit
// (max.frame.bytes, itself at most 2^31-1), headers included.
//
// Threads: one per fetch (plain value).
#pragma once

#include <cstdint>
#include <optional>


namespace strata::broker {

class FetchBudget {
 public:
  // frame_limit: the largest response frame the broker sends.
  // REQUIRES: overhead < frame_limit (see fits()).
  FetchBudget(std::uint32_t request_max_bytes, std::uint64_t overhead, std::uint64_t frame_limit) noexcept;

  // Whether a response with no records fits the frame limit at all.
  [[nodiscard]] static bool fits(std::uint64_t overhead, std::uint64_t frame_limit) noexcept {
    return overhead < frame_limit;
  }

  // max_bytes to read the next partition with: its own max_bytes, capped by
  // what is left (at least 1, so the read still reports the log's ends).
  [[nodiscard]] std::uint32_t want(std::uint32_t partition_max_bytes) const noexcept;
  // Whether a read of `length` record bytes may go in the response; counts
  // it if so. The first non-empty read is kept if it fits the frame limit,
  // whatever the request's budget; later ones only if they fit what is left.
  [[nodiscard]] bool take(std::uint64_t length) noexcept;
  // Record bytes kept so far.
  [[nodiscard]] std::uint64_t taken() const noexcept { return taken_; }

 private:
  std::uint64_t budget_;       // of the request
  std::uint64_t frame_room_;   // record bytes the frame limit leaves
  std::uint64_t taken_ = 0;
};

}  // namespace strata::broker
