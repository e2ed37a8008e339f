// Shared helpers of the replication storage tests (partition_replica_*,
// partition_truncate_*, replica_divergence_*): a leader's log and a
// follower's in one test, the batches a log stores read back byte for byte,
// copying them the way a follower does, and idempotent producers' batches.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <doctest/doctest.h>

#include "recovery_test_util.h"

namespace strata::test::replica {

using storage::AppendResult;
using storage::LogConfig;
using storage::Offset;
using storage::PartitionLog;
namespace fs = std::filesystem;

using Batch = std::vector<std::uint8_t>;

// Every batch the log stores from `from` (a batch boundary) to its end,
// exactly as stored, read through PartitionLog::read.
[[nodiscard]] std::vector<Batch> stored_batches(PartitionLog& log, Offset from);
[[nodiscard]] std::vector<Batch> stored_batches(PartitionLog& log);
// All of them back to back: what two replicas must agree on byte for byte.
[[nodiscard]] Batch log_bytes(PartitionLog& log);

// Copies the leader's batches from the follower's log end on, one
// append_replica each, as a follower's fetch loop would; returns how many.
std::size_t replicate(PartitionLog& leader, PartitionLog& follower);

// A batch of `count` records with ids from first_id (see make_batch),
// from producer `pid` (epoch 0) at sequence `seq`; pid < 0 for none.
[[nodiscard]] Batch producer_batch(std::uint64_t first_id, std::size_t count, std::int64_t pid, std::int32_t seq);

// Appends through the leader path (append); the bytes are copied first, so
// the caller's stay as the producer sent them, for a resend.
[[nodiscard]] Result<AppendResult> send(PartitionLog& log, Batch bytes);

// The log of one partition directory, in its own environment, reopened as
// the tests need (a crash destroys the log without close()).
struct Replica {
  explicit Replica(LogConfig config = small_config()) : cfg(config) { open(); }
  void open() { proc = std::make_unique<Proc>(env, cfg); }
  void crash() { proc.reset(); }
  void power_loss() {
    proc.reset();
    REQUIRE_FALSE(env.faults.drop_unsynced());
  }
  void close_and_open() {
    REQUIRE_FALSE(proc->log->close());
    proc.reset();
    open();
  }
  PartitionLog& log() { return *proc->log; }
  [[nodiscard]] fs::path dir() const { return env.partition_dir(); }

  StorageEnv env;
  LogConfig cfg;
  std::unique_ptr<Proc> proc;
};

}  // namespace strata::test::replica
