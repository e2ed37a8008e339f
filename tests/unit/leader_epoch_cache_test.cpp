// The leader-epoch history on its own (storage/leader_epoch_cache.h,
// leader_epoch_file.h): the file's round trip and every way its decoder
// refuses bytes, OffsetsForLeaderEpoch's answers (Kafka's endOffsetFor),
// the truncations, the bound, and that a durable write survives a power
// loss while a plain one need not.
#include <doctest/doctest.h>

#include <vector>

#include "protocol/byte_io.h"
#include "storage/leader_epoch_cache.h"
#include "recovery_test_util.h"
#include "storage_test_util.h"

namespace strata::test {
namespace {

using storage::EpochEndOffset;
using storage::EpochEntry;
using storage::EpochFileErrc;
using storage::LeaderEpochCache;
using storage::Offset;

std::vector<EpochEntry> history() { return {{1, Offset(0)}, {3, Offset(10)}, {6, Offset(25)}}; }

struct Dir {
  StorageEnv env;
  std::filesystem::path path = env.dir.path();
  [[nodiscard]] LeaderEpochCache cache() { return LeaderEpochCache(env.faults, path); }
};

TEST_CASE("leader-epoch file: entries round-trip through the file") {
  Dir d;
  auto cache = d.cache();
  REQUIRE_FALSE(cache.replace(history(), true));
  auto again = d.cache();
  REQUIRE_FALSE(again.load());
  CHECK(again.entries() == history());
  // And the empty history.
  REQUIRE_FALSE(cache.clear(true));
  REQUIRE_FALSE(again.load());
  CHECK(again.entries().empty());
}

TEST_CASE("leader-epoch file: the decoder names what is wrong and never reads past the bytes") {
  const auto good = storage::encode_epoch_file(history());
  auto refused = [](std::vector<std::uint8_t> bytes, EpochFileErrc expected) {
    auto r = storage::decode_epoch_file(bytes);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == make_error_code(expected));
    CHECK_FALSE(r.error().message().empty());
  };
  CHECK(storage::decode_epoch_file(good).value() == history());
  refused({}, EpochFileErrc::truncated);
  refused(std::vector<std::uint8_t>(good.begin(), good.begin() + 19), EpochFileErrc::truncated);
  auto magic = good;
  magic[0] ^= 1;
  refused(magic, EpochFileErrc::bad_magic);
  auto version = good;
  version[4] = 9;
  refused(version, EpochFileErrc::unsupported_version);
  // A count that claims more entries than the bytes hold, or than the bound.
  auto count = good;
  protocol::store_le<std::uint32_t>(count.data() + 8, 4);
  refused(count, EpochFileErrc::bad_count);
  protocol::store_le<std::uint32_t>(count.data() + 8, 0xFFFFFFFFu);
  refused(count, EpochFileErrc::bad_count);
  auto cut = good;
  cut.pop_back();
  refused(cut, EpochFileErrc::bad_count);
  auto flipped = good;
  flipped[14] ^= 0x40;  // inside the first entry
  refused(flipped, EpochFileErrc::checksum_mismatch);
  // Checksummed correctly, but not a history.
  refused(storage::encode_epoch_file({{3, Offset(0)}, {3, Offset(5)}}), EpochFileErrc::not_monotonic);
  refused(storage::encode_epoch_file({{3, Offset(5)}, {4, Offset(5)}}), EpochFileErrc::not_monotonic);
  refused(storage::encode_epoch_file({{4, Offset(0)}, {3, Offset(5)}}), EpochFileErrc::not_monotonic);
  refused(storage::encode_epoch_file({{-1, Offset(0)}}), EpochFileErrc::not_monotonic);
  // Through the file: a damaged one loads as the error and an empty history.
  Dir d;
  auto cache = d.cache();
  REQUIRE_FALSE(cache.replace(history(), false));
  recovery::write_file(cache.path(), flipped);
  CHECK(cache.load() == make_error_code(EpochFileErrc::checksum_mismatch));
  CHECK(cache.entries().empty());
  recovery::write_file(cache.path(), std::vector<std::uint8_t>(storage::kMaxEpochFileBytes + 1, 0));
  CHECK(cache.load() == make_error_code(EpochFileErrc::bad_count));
  std::filesystem::remove(cache.path());
  CHECK(cache.load() == std::errc::no_such_file_or_directory);
}

TEST_CASE("leader-epoch history: end_offset_for answers as Kafka's OffsetsForLeaderEpoch") {
  Dir d;
  auto cache = d.cache();
  const Offset log_end(40);
  CHECK_FALSE(cache.end_offset_for(0, log_end).has_value());  // empty: UNDEFINED
  REQUIRE_FALSE(cache.replace(history(), false));
  // The latest epoch runs to the log end.
  CHECK(cache.end_offset_for(6, log_end) == EpochEndOffset{6, log_end});
  // A known epoch ends where the next one starts.
  CHECK(cache.end_offset_for(3, log_end) == EpochEndOffset{3, Offset(25)});
  CHECK(cache.end_offset_for(1, log_end) == EpochEndOffset{1, Offset(10)});
  // An epoch never seen: the largest epoch below it, and where that ended.
  CHECK(cache.end_offset_for(5, log_end) == EpochEndOffset{3, Offset(25)});
  CHECK(cache.end_offset_for(4, log_end) == EpochEndOffset{3, Offset(25)});
  CHECK(cache.end_offset_for(2, log_end) == EpochEndOffset{1, Offset(10)});
  // Older than every entry: that epoch, ending where the history starts.
  CHECK(cache.end_offset_for(0, log_end) == EpochEndOffset{0, Offset(0)});
  // Newer than the latest, or no epoch at all: UNDEFINED.
  CHECK_FALSE(cache.end_offset_for(7, log_end).has_value());
  CHECK_FALSE(cache.end_offset_for(-1, log_end).has_value());
  CHECK(cache.epoch_at(Offset(0)) == 1);
  CHECK(cache.epoch_at(Offset(24)) == 3);
  CHECK(cache.epoch_at(Offset(25)) == 6);
  REQUIRE_FALSE(cache.replace({{2, Offset(10)}}, false));
  CHECK_FALSE(cache.epoch_at(Offset(9)).has_value());
}

TEST_CASE("leader-epoch history: assign appends newer epochs and replaces one recorded where nothing was written") {
  Dir d;
  auto cache = d.cache();
  REQUIRE_FALSE(cache.assign(1, Offset(0), true));
  REQUIRE_FALSE(cache.assign(1, Offset(7), true));  // the same epoch: nothing changes
  REQUIRE_FALSE(cache.assign(3, Offset(10), true));
  CHECK(cache.entries() == std::vector<EpochEntry>{{1, Offset(0)}, {3, Offset(10)}});
  // Epoch 4 at the same offset: epoch 3 never wrote, so it goes.
  REQUIRE_FALSE(cache.assign(4, Offset(10), true));
  CHECK(cache.entries() == std::vector<EpochEntry>{{1, Offset(0)}, {4, Offset(10)}});
  auto again = d.cache();
  REQUIRE_FALSE(again.load());
  CHECK(again.entries() == cache.entries());
}

TEST_CASE("leader-epoch history: truncation from the end and from the start") {
  Dir d;
  auto cache = d.cache();
  auto reset = [&cache] { REQUIRE_FALSE(cache.replace(history(), false)); };
  reset();
  CHECK(cache.truncate_from_end(Offset(26), true).value() == false);
  CHECK(cache.truncate_from_end(Offset(25), true).value() == true);
  CHECK(cache.entries() == std::vector<EpochEntry>{{1, Offset(0)}, {3, Offset(10)}});
  CHECK(cache.truncate_from_end(Offset(0), true).value() == true);
  CHECK(cache.entries().empty());
  reset();
  CHECK(cache.truncate_from_start(Offset(0), false).value() == false);
  CHECK(cache.truncate_from_start(Offset(5), false).value() == true);
  CHECK(cache.entries() == std::vector<EpochEntry>{{1, Offset(5)}, {3, Offset(10)}, {6, Offset(25)}});
  CHECK(cache.truncate_from_start(Offset(12), false).value() == true);
  CHECK(cache.entries() == std::vector<EpochEntry>{{3, Offset(12)}, {6, Offset(25)}});
  CHECK(cache.truncate_from_start(Offset(30), false).value() == true);
  CHECK(cache.entries() == std::vector<EpochEntry>{{6, Offset(30)}});
  // What the file holds is what memory holds.
  auto again = d.cache();
  REQUIRE_FALSE(again.load());
  CHECK(again.entries() == cache.entries());
}

TEST_CASE("leader-epoch history: at its bound the oldest entry is dropped") {
  Dir d;
  auto cache = d.cache();
  std::vector<EpochEntry> full;
  for (std::size_t i = 0; i < storage::kMaxEpochEntries; ++i) {
    full.push_back({static_cast<std::int32_t>(i), Offset(i * 10)});
  }
  REQUIRE_FALSE(cache.replace(full, false));
  const auto next = static_cast<std::int32_t>(storage::kMaxEpochEntries);
  REQUIRE_FALSE(cache.assign(next, Offset(storage::kMaxEpochEntries * 10), false));
  CHECK(cache.dropped() == 1);
  REQUIRE(cache.entries().size() == storage::kMaxEpochEntries);
  CHECK(cache.entries().front() == EpochEntry{1, Offset(10)});
  CHECK(cache.entries().back().epoch == next);
  auto again = d.cache();
  REQUIRE_FALSE(again.load());  // the largest file still decodes
  CHECK(again.entries() == cache.entries());
}

TEST_CASE("leader-epoch history: a durable write survives a power loss, a plain one need not") {
  Dir d;
  {
    auto cache = d.cache();
    REQUIRE_FALSE(cache.assign(2, Offset(0), true));
    REQUIRE_FALSE(cache.assign(5, Offset(9), false));
  }
  REQUIRE_FALSE(d.env.faults.drop_unsynced());
  auto again = d.cache();
  REQUIRE_FALSE(again.load());
  CHECK(again.entries() == std::vector<EpochEntry>{{2, Offset(0)}});
}

}  // namespace
}  // namespace strata::test
