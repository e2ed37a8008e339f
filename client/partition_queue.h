// One partition's queue inside a Producer: the batch being filled, closed
// batches in order, and with idempotence the sequence bookkeeping that says
// when the partition may send and when it must start over.
//
// The rules are those of Kafka's idempotent producer (its TransactionManager
// and Sender):
//  - A batch is numbered (producer id, epoch, base sequence) when it is
//    closed, and once it has been sent its numbers never change while its
//    outcome is unknown: a resend of a batch the broker already has is then
//    answered with its first offsets, never appended twice.
//  - A batch that was sent and fails for good (delivery timeout, retries
//    spent, an error that is not retriable) leaves the partition's sequence
//    unresolved: the batch may or may not be in the log. The partition sends
//    no batch it never sent until every sent batch is answered. If a later
//    batch is then acknowledged, the failed one is known to be written and
//    numbering simply goes on; otherwise the partition takes a new producer
//    identity and starts at sequence 0, and only batches never sent get the
//    new numbers.
//  - A sent batch refused as out of order while the sequence is unresolved
//    (an earlier batch is missing, for good) fails to its caller saying so.
//
// Threads: guarded by the owning Producer's mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/client.h"
#include "protocol/batch_builder.h"
#include "strata/producer.h"

namespace strata::client {

// The public types (strata/producer.h): offset kNoOffset with acks=none;
// the callback's error is a ClientError (exactly one pointer is non-null).
using strata::RecordMetadata;
using strata::SendCallback;

struct QueuedBatch {
  using Clock = std::chrono::steady_clock;

  std::vector<std::uint8_t> bytes;
  // What it counts in the producer's buffered bytes: its size before
  // compression, as send() added it (bytes may be far smaller).
  std::size_t buffered = 0;
  std::vector<SendCallback> callbacks;  // one per record, may be empty
  std::uint32_t records = 0;
  std::uint32_t attempts = 0;      // times taken to be sent (for ProducerOptions::retries)
  std::uint32_t sends = 0;         // times written to a connection; > 0: its numbers are fixed
  std::uint64_t first_record = 0;  // the partition's record count before it: queue order
  std::uint64_t sequence_end = 0;  // records numbered under its identity up to its end
  Clock::time_point created{};     // its first record was added: delivery timeout from here
  Clock::time_point not_before{};  // retry backoff

  [[nodiscard]] bool sent() const noexcept { return sends > 0; }
  [[nodiscard]] std::uint64_t sequence_begin() const noexcept { return sequence_end - records; }
};

class PartitionQueue {
 public:
  using Clock = QueuedBatch::Clock;

  // Closes the open batch, numbered under the partition's identity when
  // idempotent. REQUIRES: !open.empty(); with idempotence, has_identity().
  [[nodiscard]] QueuedBatch close(bool idempotent);

  [[nodiscard]] bool has_identity() const noexcept { return identity_.id >= 0; }
  // Starts the partition at sequence 0 under `identity`, renumbering the
  // ready batches. REQUIRES: none of them was ever sent; nothing in flight.
  void restart(ProducerIdentity identity);

  // Outcomes of sent batches of the current identity.
  void acknowledged(const QueuedBatch& b) noexcept;
  // The batch failed for good; it may or may not be in the log.
  void failed(const QueuedBatch& b) noexcept;
  [[nodiscard]] bool unresolved() const noexcept { return failed_end_.has_value(); }
  // Every earlier batch of this identity is acknowledged: a refusal of b as
  // out of order means the broker lost them, not that b overtook a resend.
  [[nodiscard]] bool is_next(const QueuedBatch& b) const noexcept { return b.sequence_begin() == acked_end_; }

  enum class Settled { yes, needs_identity };
  // REQUIRES: unresolved(), nothing in flight, no sent batch in `ready`.
  // yes: a later batch was acknowledged, so the failed one is in the log
  // and numbering goes on; needs_identity: restart() before sending more.
  [[nodiscard]] Settled settle() noexcept;

  protocol::BatchBuilder open;
  std::vector<SendCallback> open_callbacks;
  std::uint32_t last_records = 0;  // in the last batch closed
  std::size_t last_bytes = 0;      // size of the last batch closed
  Clock::time_point open_since{};
  std::deque<QueuedBatch> ready;  // in first_record order; sent ones first
  std::uint32_t in_flight = 0;
  // A batch failed: send nothing until in_flight is 0, so resends go out in order.
  bool draining = false;
  std::uint64_t next_record = 0;
  // The partition's latest failed attempt (for its delivery timeout's
  // message: e.g. LEADER_NOT_AVAILABLE while its broker is down).
  std::string last_failure;

 private:
  ProducerIdentity identity_;
  std::uint64_t numbered_ = 0;   // records numbered under identity_ (the next sequence, unwrapped)
  std::uint64_t acked_end_ = 0;  // past the last record acknowledged under identity_
  std::optional<std::uint64_t> failed_end_;  // past the last record of a batch failed for good
};

}  // namespace strata::client
