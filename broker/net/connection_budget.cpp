#include "broker/net/connection_budget.h"

#include <malloc.h>

#include <algorithm>

namespace strata::broker {

ConnectionBudget::~ConnectionBudget() {
  abandon();
  if (peak_ >= kTrimAfter) ::malloc_trim(0);
}

void ConnectionBudget::abandon() noexcept {
  broker_.release(bytes_);
  bytes_ = 0;
  requests_ = 0;
}

void ConnectionBudget::charge(std::uint64_t bytes) noexcept {
  bytes_ += bytes;
  peak_ = std::max(peak_, bytes_);
  broker_.charge(bytes);
}

std::uint64_t ConnectionBudget::add_request(std::uint64_t frame_bytes) noexcept {
  ++requests_;
  charge(frame_bytes + kRequestOverhead);
  return frame_bytes + kRequestOverhead;
}

void ConnectionBudget::add_reply(std::uint64_t reply_bytes) noexcept { charge(reply_bytes); }

void ConnectionBudget::finish(std::uint64_t charged) noexcept {
  --requests_;
  bytes_ -= charged;
  broker_.release(charged);
}

ConnectionBudget::Pause ConnectionBudget::pause(std::uint64_t next_frame) const noexcept {
  if (requests_ >= limits_.requests || bytes_ > limits_.bytes) return Pause::connection;
  if (broker_.over() && (requests_ > 0 || next_frame > kSmallRequest)) return Pause::broker;
  return Pause::none;
}

}  // namespace strata::broker
