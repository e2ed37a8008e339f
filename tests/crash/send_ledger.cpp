#include "tests/crash/send_ledger.h"

namespace strata::crash {

std::uint64_t SendLedger::add() {
  std::lock_guard lock(mu_);
  entries_.emplace_back();
  ++pending_;
  return entries_.size() - 1;
}

void SendLedger::answer(std::uint64_t seq, SendEntry entry) {
  {
    std::lock_guard lock(mu_);
    if (seq >= entries_.size() || entries_[seq].state != SendState::pending) {
      ++repeated_;
      return;
    }
    entries_[seq] = entry;
    --pending_;
  }
  cv_.notify_all();
}

void SendLedger::acked(std::uint64_t seq, std::uint32_t partition, std::int64_t offset) {
  answer(seq, SendEntry{SendState::acked, partition, offset});
}

void SendLedger::failed(std::uint64_t seq) { answer(seq, SendEntry{SendState::failed, 0, -1}); }

bool SendLedger::wait_outstanding_below(std::uint64_t limit, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return pending_ < limit; });
}

std::vector<SendEntry> SendLedger::snapshot() const {
  std::lock_guard lock(mu_);
  return entries_;
}

std::uint64_t SendLedger::repeated_callbacks() const {
  std::lock_guard lock(mu_);
  return repeated_;
}

}  // namespace strata::crash
