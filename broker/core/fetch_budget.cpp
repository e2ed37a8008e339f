#include "broker/core/fetch_budget.h"

#include <algorithm>


namespace strata::broker {

FetchBudget::FetchBudget(std::uint32_t request_max_bytes, std::uint64_t overhead, std::uint64_t frame_limit) noexcept
    : frame_room_(frame_limit - overhead) {
  budget_ = std::min<std::uint64_t>(request_max_bytes, frame_room_);
}

std::uint32_t FetchBudget::want(std::uint32_t partition_max_bytes) const noexcept {
  const std::uint64_t left = budget_ - std::min(budget_, taken_);
  return static_cast<std::uint32_t>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(partition_max_bytes, left)));
}

bool FetchBudget::take(std::uint64_t length) noexcept {
  if (length == 0) return true;
  if (taken_ + length > frame_room_) return false;
  if (taken_ > 0 && taken_ + length > budget_) return false;
  taken_ += length;
  return true;
}

}  // namespace strata::broker
