#include "broker/core/fetch_budget.h"

#include <algorithm>

#include "protocol/frame.h"

namespace strata::broker {

namespace {
// partition u32, error u16, log_start u64, log_end u64, records_length u32.
constexpr std::uint64_t kPartitionHeader = 4 + 2 + 8 + 8 + 4;
// size u32, correlation_id u32, error u16, topic count u32.
constexpr std::uint64_t kResponseHead = protocol::kFrameSizeBytes + 4 + 2 + 4;
}  // namespace

std::uint64_t fetch_response_overhead(const protocol::FetchRequest& request) noexcept {
  std::uint64_t total = kResponseHead;
  for (const auto& t : request.topics) total += 2 + t.name.size() + 4 + kPartitionHeader * t.partitions.size();
  return total;
}

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
