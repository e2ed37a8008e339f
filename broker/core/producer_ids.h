// Allocates idempotent producer ids and epochs (InitProducerId). Ids are
// handed out from blocks of kBlock: the end of the current block is written
// durably to <data>/strata~producer-ids before its first id goes out, so an
// id is never handed out twice, even across kill -9 (a restart skips the
// rest of the block it was in).
//
// Epochs: a new id starts at epoch 0; an id presented with its epoch gets
// the next one (the same id past epoch 32766 gets a new id at 0). The
// broker remembers the last epoch it gave each of the last kRemembered ids
// it bumped, so two bumps of one id never get the same epoch while it runs.
// After a restart it trusts the epoch presented; every partition still
// fences older epochs than it has seen (storage/producer_state.h).
//
// Threads: owned by the Broker; call only on shard 0 (the admin shard).
#pragma once

#include <cstdint>
#include <unordered_map>

#include "broker/core/status.h"
#include "storage/file_system.h"

namespace strata::broker {

// A producer's identity for the idempotent producer (InitProducerId).
struct ProducerIdentity {
  std::int64_t id = -1;
  std::int16_t epoch = -1;
};

struct ProducerIdGrant {
  Status status;
  ProducerIdentity identity;  // when status.ok()
};

class ProducerIds {
 public:
  static constexpr std::int64_t kBlock = 1000;
  static constexpr std::size_t kRemembered = 100'000;

  ProducerIds(storage::FileSystem& fs, storage::fs::path file) : fs_(fs), file_(std::move(file)) {}

  // Reads the last block end (a missing file is a new directory: 0).
  [[nodiscard]] std::error_code load();
  // Cluster mode: every id this broker hands out carries its node id in
  // the high 32 bits (the block file counts the low 32), so brokers that
  // allocate on their own never hand out the same id; a producer writes to
  // partitions on every broker, and two producers with one id on a
  // partition would be taken for one (refused as out of order, or a batch
  // dropped as a duplicate). Standalone: node 0, ids as before.
  // REQUIRES: before the first init().
  void set_node(std::int32_t node) noexcept { node_ = node; }
  // Answers one InitProducerId: a new id when current.id < 0, else the
  // next epoch of current. May write the block file (fsync).
  [[nodiscard]] ProducerIdGrant init(ProducerIdentity current);

 private:
  [[nodiscard]] ProducerIdGrant new_id();

  storage::FileSystem& fs_;
  storage::fs::path file_;
  std::int32_t node_ = 0;
  std::int64_t next_ = 0;       // the next id to hand out (its low 32 bits)
  std::int64_t block_end_ = 0;  // ids below it are covered by the file
  std::unordered_map<std::int64_t, std::int16_t> bumped_;
};

}  // namespace strata::broker
