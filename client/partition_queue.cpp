#include "client/partition_queue.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace strata::client {

namespace {
// Sequences count records from 0 and wrap from INT32_MAX to 0
// (protocol::next_sequence); the queue counts them in 64 bits.
std::int32_t wire_sequence(std::uint64_t n) noexcept {
  return static_cast<std::int32_t>(n % (std::uint64_t{std::numeric_limits<std::int32_t>::max()} + 1));
}
}  // namespace

QueuedBatch PartitionQueue::close(bool idempotent) {
  QueuedBatch b;
  b.records = static_cast<std::uint32_t>(open.record_count());
  b.first_record = next_record;
  b.created = open_since;
  next_record += b.records;
  if (idempotent) {
    assert(has_identity());
    open.set_producer(identity_.id, identity_.epoch, wire_sequence(numbered_));
    numbered_ += b.records;
    b.sequence_end = numbered_;
  }
  b.buffered = open.size_bytes();
  b.bytes = open.finish();
  b.callbacks = std::move(open_callbacks);
  open_callbacks.clear();
  last_records = b.records;
  last_bytes = b.buffered;  // the builder's next reserve: the uncompressed size
  return b;
}

void PartitionQueue::restart(ProducerIdentity identity) {
  assert(in_flight == 0);
  identity_ = identity;
  numbered_ = 0;
  acked_end_ = 0;
  failed_end_.reset();
  for (QueuedBatch& b : ready) {
    assert(!b.sent());
    protocol::stamp_producer(b.bytes, identity_.id, identity_.epoch, wire_sequence(numbered_));
    numbered_ += b.records;
    b.sequence_end = numbered_;
  }
}

void PartitionQueue::acknowledged(const QueuedBatch& b) noexcept { acked_end_ = std::max(acked_end_, b.sequence_end); }

void PartitionQueue::failed(const QueuedBatch& b) noexcept {
  failed_end_ = std::max(failed_end_.value_or(0), b.sequence_end);
}

PartitionQueue::Settled PartitionQueue::settle() noexcept {
  assert(failed_end_);
  if (acked_end_ >= *failed_end_) {
    failed_end_.reset();
    return Settled::yes;
  }
  return Settled::needs_identity;
}

}  // namespace strata::client
