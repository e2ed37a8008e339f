#include "replica_test_util.h"

#include <doctest/doctest.h>

namespace strata::test::replica {

std::vector<Batch> stored_batches(PartitionLog& log, Offset from) {
  std::vector<Batch> out;
  for_each_stored_batch(log, from, 1 << 20, [&out](protocol::Bytes b) { out.emplace_back(b.begin(), b.end()); });
  return out;
}

std::vector<Batch> stored_batches(PartitionLog& log) { return stored_batches(log, log.log_start()); }

Batch log_bytes(PartitionLog& log) {
  Batch all;
  for (const auto& b : stored_batches(log)) all.insert(all.end(), b.begin(), b.end());
  return all;
}

std::size_t replicate(PartitionLog& leader, PartitionLog& follower) {
  std::size_t copied = 0;
  for (const auto& b : stored_batches(leader, follower.log_end())) {
    auto r = follower.append_replica(b);
    REQUIRE_MESSAGE(r.has_value(), r.error().message());
    CHECK_FALSE(r.value().duplicate);
    ++copied;
  }
  CHECK(follower.log_end() == leader.log_end());
  return copied;
}

Batch producer_batch(std::uint64_t first_id, std::size_t count, std::int64_t pid, std::int32_t seq) {
  protocol::BatchBuilder b;
  if (pid >= 0) b.set_producer(pid, 0, seq);
  const auto ts = kT0 + static_cast<std::int64_t>(first_id);
  for (const auto& r : batch_records(first_id, count, ts, recovery::kValueSize)) {
    b.add(r.timestamp, protocol::as_bytes(r.key), protocol::as_bytes(r.value));
  }
  return b.finish();
}

Result<AppendResult> send(PartitionLog& log, Batch bytes) {
  auto valid = protocol::validate_for_append(bytes, protocol::kMaxBatchBytes);
  REQUIRE(valid.has_value());
  return log.append(valid.value());
}

}  // namespace strata::test::replica
