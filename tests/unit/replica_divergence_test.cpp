// Two replicas whose histories diverge, as KIP-101 and KIP-279 describe:
// leadership moves between them with new epochs, each leader writes batches
// the other copies only in part or, away for a round, not at all, and the follower of each round finds where
// it diverged by asking the leader end_offset_for its latest epoch (never
// by the high watermark), truncates there and copies the leader's batches.
// Afterwards the two logs are byte for byte the same, so are their epoch
// histories, and both stay so across a power loss.
#include <doctest/doctest.h>

#include <random>

#include "replica_test_util.h"

namespace strata::test::replica {
namespace {

// The follower's side of Kafka's truncation protocol against `leader`:
// returns the offset it truncated to.
Offset truncate_by_epochs(PartitionLog& leader, PartitionLog& follower) {
  for (int round = 0; round < 8; ++round) {
    if (follower.epoch_history().empty()) return follower.log_end();
    const std::int32_t latest = follower.epoch_history().back().epoch;
    const auto answer = leader.end_offset_for(latest);
    REQUIRE(answer.has_value());  // both histories start with epoch 1 at 0
    Offset target = answer->end;
    if (answer->epoch != latest) {
      // KIP-279: the leader never had our latest epoch; also stop where our
      // copy of the epoch it answered with ends.
      const auto own = follower.end_offset_for(answer->epoch);
      REQUIRE(own.has_value());
      target = std::min(target, own->end);
    }
    // Called even when it cuts no batch: it still drops an epoch recorded
    // at our log end that the leader never had.
    const Offset before = follower.log_end();
    const auto history = follower.epoch_history();
    auto cut = follower.truncate_to(target);
    REQUIRE_MESSAGE(cut.has_value(), cut.error().message());
    if (cut.value().end == before && follower.epoch_history() == history) return before;
  }
  FAIL("the truncation did not settle");
  return follower.log_end();
}

void write(PartitionLog& leader, std::size_t batches, std::uint64_t& id) {
  for (std::size_t i = 0; i < batches; ++i) {
    REQUIRE(send(leader, producer_batch(id, 1 + i % 3, -1, -1)).has_value());
    id += 1 + i % 3;
  }
}

// Copies the first `batches` of the leader's batches the follower lacks,
// as a follower that fetched only part of them.
void replicate_some(PartitionLog& leader, PartitionLog& follower, std::size_t batches) {
  const auto pending = stored_batches(leader, follower.log_end());
  for (std::size_t i = 0; i < std::min(batches, pending.size()); ++i) {
    REQUIRE(follower.append_replica(pending[i]).has_value());
  }
}

TEST_CASE("divergence: the follower truncates to where the epochs part, not to the high watermark") {
  Replica a(small_config(800));
  Replica b(small_config(800));
  std::uint64_t id = 0;
  // Epoch 1, leader a: both have the first 10 batches; 3 more reach only a.
  REQUIRE_FALSE(a.log().set_leader_epoch(1));
  write(a.log(), 13, id);
  replicate_some(a.log(), b.log(), 10);
  const Offset common = b.log().log_end();
  // a is lost; b leads epoch 2 and writes 4 batches of its own.
  REQUIRE_FALSE(b.log().set_leader_epoch(2));
  write(b.log(), 4, id);
  // a returns as b's follower: asks for epoch 1's end on b, which is where
  // epoch 2 started there, and drops its 3 batches b never had.
  const auto answer = b.log().end_offset_for(1);
  REQUIRE(answer.has_value());
  CHECK(*answer == storage::EpochEndOffset{1, common});
  CHECK(truncate_by_epochs(b.log(), a.log()) == common);
  replicate(b.log(), a.log());
  CHECK(log_bytes(a.log()) == log_bytes(b.log()));
  CHECK(a.log().epoch_history() == b.log().epoch_history());
}

TEST_CASE("divergence: fast back-to-back failovers with random partial copies converge byte for byte") {
  std::mt19937 rng(20261207);
  std::size_t cuts = 0;        // truncations that removed batches: the test must make some
  std::size_t epoch_cuts = 0;  // and some that removed an epoch the leader never had
  for (int trial = 0; trial < 10; ++trial) {
    CAPTURE(trial);
    Replica r0(small_config(700));
    Replica r1(small_config(700));
    Replica* replicas[] = {&r0, &r1};
    std::uint64_t id = 0;
    std::int32_t epoch = 0;
    std::size_t leader = 0;
    for (int round = 0; round < 12; ++round) {
      CAPTURE(round);
      // A new leader (either one: with two replicas an unclean election is
      // what makes KIP-279's histories), which first catches nothing up.
      leader = rng() % 2;
      PartitionLog& l = replicas[leader]->log();
      PartitionLog& f = replicas[1 - leader]->log();
      REQUIRE_FALSE(l.set_leader_epoch(++epoch));
      write(l, rng() % 5, id);
      // Now and then the follower is away for the round (so a leader may
      // keep batches of an old epoch past where the follower's newer epoch
      // started: what KIP-279 is about). Otherwise it reconciles, then
      // copies part of what there is.
      if (rng() % 3 == 0) continue;
      const Offset before = f.log_end();
      const std::size_t epochs_before = f.epoch_history().size();
      cuts += truncate_by_epochs(l, f) < before ? 1 : 0;
      epoch_cuts += f.epoch_history().size() < epochs_before ? 1 : 0;
      replicate_some(l, f, rng() % 6);
      if (rng() % 4 == 0) {
        // A power loss of the follower after it synced.
        REQUIRE_FALSE(f.sync());
        replicas[1 - leader]->power_loss();
        replicas[1 - leader]->open();
      }
    }
    PartitionLog& l = replicas[leader]->log();
    PartitionLog& f = replicas[1 - leader]->log();
    truncate_by_epochs(l, f);
    replicate(l, f);
    REQUIRE(l.log_end() > Offset(0));
    CHECK(log_bytes(f) == log_bytes(l));
    CHECK(f.epoch_history() == l.epoch_history());
    // And so after both lose power having synced.
    const auto bytes = log_bytes(l);
    const auto history = l.epoch_history();
    for (Replica* r : replicas) {
      REQUIRE_FALSE(r->log().sync());
      r->power_loss();
      r->open();
      CHECK(log_bytes(r->log()) == bytes);
      CHECK(r->log().epoch_history() == history);
    }
  }
  CHECK(cuts >= 6);
  CHECK(epoch_cuts >= 2);
  MESSAGE("truncations that cut: " << cuts << ", that cut the epoch history: " << epoch_cuts);
}

}  // namespace
}  // namespace strata::test::replica
