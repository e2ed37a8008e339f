// What one producer thread sent and what the broker said about each send:
// message number seq is entry seq, pending until its callback reports an
// acknowledgement (partition, offset) or a failure.
//
// Threads: add() and wait_outstanding_below() from the producer thread,
// acked()/failed() from the client's callback threads, snapshot() from any.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

namespace strata::crash {

enum class SendState : std::uint8_t { pending, acked, failed };

struct SendEntry {
  SendState state = SendState::pending;
  std::uint32_t partition = 0;  // acked only
  std::int64_t offset = -1;     // acked only
};

class SendLedger {
 public:
  // A new pending entry; returns its seq.
  std::uint64_t add();
  void acked(std::uint64_t seq, std::uint32_t partition, std::int64_t offset);
  void failed(std::uint64_t seq);
  // Waits up to `timeout` until fewer than `limit` sends are pending;
  // returns whether they are.
  bool wait_outstanding_below(std::uint64_t limit, std::chrono::milliseconds timeout);

  // A copy of every entry so far.
  [[nodiscard]] std::vector<SendEntry> snapshot() const;
  // Callbacks that came for an entry already answered (a client bug).
  [[nodiscard]] std::uint64_t repeated_callbacks() const;

 private:
  void answer(std::uint64_t seq, SendEntry entry);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<SendEntry> entries_;
  std::uint64_t pending_ = 0;
  std::uint64_t repeated_ = 0;
};

}  // namespace strata::crash
