// A follower's append (PartitionLog::append_replica) and the leader's epoch
// (set_leader_epoch): batches copied byte for byte at the leader's offsets,
// refused when they would leave a gap, overlap or go back in epochs, the
// producer state learnt from them, and the epoch history kept durably.
#include <doctest/doctest.h>

#include "protocol/batch_errc.h"
#include "replica_test_util.h"
#include "storage/storage_errc.h"

namespace strata::test::replica {
namespace {

using storage::EpochEntry;
using storage::StorageErrc;

// A leader at epoch 3 that wrote `n` batches of 1..4 records, rolling
// every few batches; record ids are offsets.
void fill_leader(PartitionLog& leader, std::size_t n) {
  REQUIRE_FALSE(leader.set_leader_epoch(3));
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t first = leader.log_end().value();
    REQUIRE(send(leader, producer_batch(first, 1 + i % 4, -1, -1)).has_value());
  }
}

TEST_CASE("append_replica: a follower holds the leader's batches byte for byte at the leader's offsets") {
  const bool append_time = [] {
    bool a = false;
    SUBCASE("CreateTime leader") { a = false; }
    SUBCASE("LogAppendTime leader") { a = true; }
    return a;
  }();
  auto leader_cfg = small_config(700);
  if (append_time) leader_cfg.timestamp_type = storage::TimestampType::log_append_time;
  Replica leader(leader_cfg);
  Replica follower(small_config(700));
  follower.env.clock.advance(86'400'000);  // a re-stamp would show
  fill_leader(leader.log(), 30);
  REQUIRE(leader.log().segment_count() > 3);
  CHECK(replicate(leader.log(), follower.log()) == 30);
  CHECK(log_bytes(follower.log()) == log_bytes(leader.log()));
  CHECK(follower.log().epoch_history() == std::vector<EpochEntry>{{3, Offset(0)}});
  CHECK(follower.log().epoch_history() == leader.log().epoch_history());
  // Readable from every offset and by time, like any log.
  CHECK(read_all(follower.log(), Offset(0), 97).size() == leader.log().log_end().value());
  const auto ts = append_time ? leader.env.clock.now_ms() : kT0 + 40;
  CHECK(follower.log().offset_for_timestamp(ts).value() == leader.log().offset_for_timestamp(ts).value());
  // Durable by the same group commit, and it survives a power loss.
  bool durable = false;
  follower.log().wait_durable(follower.log().log_end(), [&durable](std::error_code ec) { durable = !ec; });
  REQUIRE_FALSE(follower.log().sync());
  CHECK(durable);
  const auto bytes = log_bytes(leader.log());
  follower.power_loss();
  follower.open();
  CHECK(log_bytes(follower.log()) == bytes);
  CHECK(follower.log().epoch_history() == std::vector<EpochEntry>{{3, Offset(0)}});
}

TEST_CASE("append_replica: a gap, an overlap, an older epoch or a damaged batch is refused and writes nothing") {
  Replica leader;
  Replica follower;
  fill_leader(leader.log(), 6);
  replicate(leader.log(), follower.log());
  const Offset end = follower.log().log_end();
  const auto size = follower.log().size_bytes();
  auto refused = [&](Batch b, std::error_code expected) {
    const auto r = follower.log().append_replica(b);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == expected);
    CHECK(follower.log().log_end() == end);
    CHECK(follower.log().size_bytes() == size);
  };
  auto at = [](std::uint64_t base, std::int32_t epoch) {
    Batch b = producer_batch(base, 2, -1, -1);
    protocol::stamp_base_offset(b, base);  // outside the CRC, as the leader stamps it
    protocol::stamp_leader_epoch(b, epoch);
    return b;
  };
  refused(at(end.value() + 1, 3), StorageErrc::replica_offset_mismatch);
  refused(at(end.value() - 1, 3), StorageErrc::replica_offset_mismatch);
  refused(at(0, 3), StorageErrc::replica_offset_mismatch);
  refused(at(end.value(), 2), StorageErrc::leader_epoch_regression);
  Batch damaged = at(end.value(), 3);
  damaged[damaged.size() - 3] ^= 0x20;
  refused(damaged, protocol::BatchErrc::checksum_mismatch);
  Batch cut = at(end.value(), 3);
  cut.pop_back();
  refused(cut, protocol::BatchErrc::truncated);
  // The right one goes in; a newer epoch is recorded where it starts.
  REQUIRE(follower.log().append_replica(at(end.value(), 3)).has_value());
  REQUIRE(follower.log().append_replica(at(end.value() + 2, 7)).has_value());
  CHECK(follower.log().epoch_history() == std::vector<EpochEntry>{{3, Offset(0)}, {7, end + 2}});
  CHECK(follower.log().end_offset_for(3) == storage::EpochEndOffset{3, end + 2});
}

TEST_CASE("append_replica: the follower learns the producers, so once leader it answers a retry as a duplicate") {
  const bool reopen = [] {
    bool r = false;
    SUBCASE("promoted as it is") { r = false; }
    SUBCASE("promoted after a crash restart") { r = true; }
    return r;
  }();
  Replica leader(small_config(600));
  Replica follower(small_config(600));
  REQUIRE_FALSE(leader.log().set_leader_epoch(1));
  std::vector<Batch> sent;
  std::vector<Offset> bases;
  std::int32_t seq = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    sent.push_back(producer_batch(leader.log().log_end().value(), 2, 77, seq));
    seq += 2;
    auto r = send(leader.log(), sent.back());
    REQUIRE(r.has_value());
    bases.push_back(r.value().base);
  }
  replicate(leader.log(), follower.log());
  // A batch whose sequence skips ahead is still copied: the leader decided.
  Batch skipping = producer_batch(follower.log().log_end().value(), 1, 77, seq + 10);
  protocol::stamp_base_offset(skipping, follower.log().log_end().value());
  protocol::stamp_leader_epoch(skipping, 1);
  const auto taken = follower.log().append_replica(skipping);
  REQUIRE_MESSAGE(taken.has_value(), taken.error().message());
  if (reopen) {
    REQUIRE_FALSE(follower.log().sync());
    follower.crash();
    follower.open();
  }
  REQUIRE_FALSE(follower.log().set_leader_epoch(2));
  const Offset end = follower.log().log_end();
  // The producer retries its last batches at the new leader (the state
  // keeps five per producer: these four and the skipping one).
  for (std::size_t j = sent.size() - 4; j < sent.size(); ++j) {
    CAPTURE(j);
    auto r = send(follower.log(), sent[j]);
    REQUIRE(r.has_value());
    CHECK(r.value().duplicate);
    CHECK(r.value().base == bases[j]);
  }
  CHECK(follower.log().log_end() == end);
  // And continues after the skipped-ahead batch the old leader took.
  auto next = send(follower.log(), producer_batch(end.value(), 1, 77, seq + 11));
  REQUIRE(next.has_value());
  CHECK_FALSE(next.value().duplicate);
}

TEST_CASE("set_leader_epoch: stamped by append, recorded durably at the log end, never going back") {
  Replica log;
  REQUIRE(send(log.log(), producer_batch(0, 2, -1, -1)).has_value());
  CHECK(log.log().epoch_history() == std::vector<EpochEntry>{{0, Offset(0)}});
  REQUIRE_FALSE(log.log().set_leader_epoch(4));
  CHECK(log.log().leader_epoch() == 4);
  REQUIRE_FALSE(log.log().set_leader_epoch(4));  // again: no change
  CHECK(log.log().set_leader_epoch(3) == make_error_code(StorageErrc::leader_epoch_regression));
  CHECK(log.log().set_leader_epoch(-1) == std::errc::invalid_argument);
  CHECK(log.log().leader_epoch() == 4);
  REQUIRE(send(log.log(), producer_batch(2, 3, -1, -1)).has_value());
  const auto batches = stored_batches(log.log());
  REQUIRE(batches.size() == 2);
  CHECK(protocol::decode_header(batches[0]).value().leader_epoch == 0);
  CHECK(protocol::decode_header(batches[1]).value().leader_epoch == 4);
  const std::vector<EpochEntry> expected{{0, Offset(0)}, {4, Offset(2)}};
  CHECK(log.log().epoch_history() == expected);
  CHECK(log.log().end_offset_for(0) == storage::EpochEndOffset{0, Offset(2)});
  CHECK(log.log().end_offset_for(4) == storage::EpochEndOffset{4, Offset(5)});
  // Epoch 4 was recorded durably before set_leader_epoch returned; after a
  // power loss that took the unsynced batches, the history is cut to match.
  log.power_loss();
  log.open();
  CHECK(log.log().log_end() == Offset(0));
  CHECK(log.log().epoch_history().empty());
  // With the batches synced, the whole history survives.
  REQUIRE(send(log.log(), producer_batch(0, 2, -1, -1)).has_value());
  REQUIRE_FALSE(log.log().set_leader_epoch(4));
  REQUIRE(send(log.log(), producer_batch(2, 3, -1, -1)).has_value());
  REQUIRE_FALSE(log.log().sync());
  log.power_loss();
  log.open();
  CHECK(log.log().epoch_history() == expected);
  // A restarted leader stamps what it is told: epoch 0 is older now.
  CHECK(send(log.log(), producer_batch(5, 1, -1, -1)).error() == make_error_code(StorageErrc::leader_epoch_regression));
}

}  // namespace
}  // namespace strata::test::replica
