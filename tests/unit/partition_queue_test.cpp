// The sequence rules of an idempotent producer's partition queue
// (client/partition_queue.h), without a broker.
// A unit test of a private class of the client library, by design: it
// includes client/ headers, which the integration and crash tests may not
// (tests/tools/public_headers_check.cmake).
#include <doctest/doctest.h>

#include "client/partition_queue.h"
#include "protocol/record_batch.h"

namespace strata::client {

namespace {
// Adds `records` records to q's open batch and closes it into q.ready.
QueuedBatch& add_batch(PartitionQueue& q, std::uint32_t records) {
  for (std::uint32_t i = 0; i < records; ++i) q.open.add(0, std::nullopt, std::nullopt, {});
  q.ready.push_back(q.close(true));
  return q.ready.back();
}

std::int32_t base_sequence(const QueuedBatch& b) { return protocol::decode_header(b.bytes).value().base_sequence; }
}  // namespace

TEST_CASE("partition queue: batches are numbered in order under the partition's identity") {
  PartitionQueue q;
  q.restart({7, 0});
  CHECK(base_sequence(add_batch(q, 3)) == 0);
  CHECK(base_sequence(add_batch(q, 2)) == 3);
  CHECK(q.ready.back().sequence_begin() == 3);
  CHECK(q.ready.back().sequence_end == 5);
}

TEST_CASE("partition queue: a later acknowledgement settles a failed batch as written") {
  PartitionQueue q;
  q.restart({7, 0});
  QueuedBatch a = add_batch(q, 3);
  QueuedBatch b = add_batch(q, 3);
  q.ready.clear();
  q.failed(a);
  CHECK(q.unresolved());
  q.acknowledged(b);
  CHECK(q.settle() == PartitionQueue::Settled::yes);
  CHECK_FALSE(q.unresolved());
  CHECK(base_sequence(add_batch(q, 1)) == 6);  // numbering goes on
}

TEST_CASE("partition queue: a failed batch with nothing acknowledged after it needs a new identity") {
  PartitionQueue q;
  q.restart({7, 0});
  QueuedBatch a = add_batch(q, 3);
  q.ready.clear();
  q.acknowledged(a);  // a earlier batch of the same numbers does not settle a later failure
  QueuedBatch b = add_batch(q, 3);
  QueuedBatch never_sent = add_batch(q, 2);
  q.ready.erase(q.ready.begin());  // b left the queue (sent, then failed)
  q.failed(b);
  CHECK(q.settle() == PartitionQueue::Settled::needs_identity);
  q.restart({8, 0});
  // Only the batch never sent is renumbered, from 0 under the new identity.
  REQUIRE(q.ready.size() == 1);
  CHECK(base_sequence(q.ready.front()) == 0);
  CHECK(protocol::decode_header(q.ready.front().bytes).value().producer_id == 8);
  CHECK(base_sequence(never_sent) == 6);  // the copy taken before keeps what it had
  CHECK_FALSE(q.unresolved());
}

TEST_CASE("partition queue: is_next says whether every earlier batch was acknowledged") {
  PartitionQueue q;
  q.restart({7, 0});
  QueuedBatch a = add_batch(q, 3);
  QueuedBatch b = add_batch(q, 3);
  CHECK(q.is_next(a));
  CHECK_FALSE(q.is_next(b));
  q.acknowledged(a);
  CHECK(q.is_next(b));
}

}  // namespace strata::client
