// A flipped bit in a closed, synced segment, end to end (reliability issue).
// The broker sends segment bytes with sendfile and never reads them, so the
// contract is: the consumer checks every fetched batch's XXH3 checksum and
// reports CORRUPT_BATCH naming the partition instead of returning a single
// record of it; data before and after the damaged batch, and other
// partitions, stay readable; a recovery scan that reaches the batch
// (no checkpoint) cuts the log there and says so in the log.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/integration/client_test_util.h"

namespace strata::it {
namespace {

using strata::Error;
using protocol::ErrorCode;

constexpr std::size_t kBatches = 40;
constexpr std::size_t kPerBatch = 10;

void flip_bit(const std::filesystem::path& file, std::uint64_t position) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  REQUIRE(f.good());
  f.seekg(static_cast<std::streamoff>(position));
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x10);
  f.seekp(static_cast<std::streamoff>(position));
  f.write(&c, 1);
  REQUIRE(f.good());
}

std::filesystem::path segment_file(const std::filesystem::path& dir, std::uint64_t base) {
  std::string name = std::to_string(base);
  name.insert(0, 20 - name.size(), '0');
  return dir / (name + ".log");
}

// Partitions 0 and 1 of `topic`, each kBatches batches of kPerBatch
// records in segments of about 4 KiB, synced and cleanly shut down; then a
// bit flipped inside the first batch of partition 0's second (closed)
// segment, optionally the partition's checkpoint and clean-shutdown marker
// removed (as after a crash that lost them), and the broker restarted.
struct DamagedTopic {
  explicit DamagedTopic(bool drop_checkpoint) {
    auto wire = f.broker.client();
    REQUIRE(wire->create_topic(topic, 2, {{"segment.bytes", "4096"}}).error == ErrorCode::none);
    for (std::uint32_t p = 0; p < 2; ++p) {
      for (std::size_t b = 0; b < kBatches; ++b) {
        const auto recs = make_records("p" + std::to_string(p), b * kPerBatch, kPerBatch, now_ms(), 40);
        REQUIRE(wire->produce(topic, p, make_batch(recs), protocol::Acks::durable).error == ErrorCode::none);
      }
    }
    REQUIRE(f.broker.broker->stop().code == 0);
    const auto dir = f.broker.partition_dir(topic, 0);
    bases = segment_bases(dir);
    REQUIRE(bases.size() >= 4);
    flip_bit(segment_file(dir, bases[1]), 100);
    if (drop_checkpoint) {
      std::filesystem::remove(dir / "checkpoint");
      std::filesystem::remove(dir / "clean-shutdown");
    }
    f.broker.restart();
    f.client = std::make_unique<Client>(
        ClientOptions{"127.0.0.1:" + std::to_string(f.broker.broker->port())});
  }

  ClientFixture f;
  const std::string topic = "scrub";
  std::vector<std::uint64_t> bases;  // partition 0's segments
};

}  // namespace

TEST_CASE("reliability: a flipped bit in a closed segment is never served as records") {
  DamagedTopic d(false);
  auto& f = d.f;
  const auto& topic = d.topic;
  const auto& bases = d.bases;

  SUBCASE("reading from the start stops at the damaged batch with an error") {
    CHECK_THROWS_AS(static_cast<void>(consume_all(*f.client, topic, {0}, StartPosition::at(0), {}, 20s)),
                    Error);
  }
  SUBCASE("reads that do not touch the damaged batch still work") {
    const auto tail = consume_all(*f.client, topic, {0}, StartPosition::at(bases[2]));
    CHECK(tail.size() == kBatches * kPerBatch - bases[2]);
    CHECK(tail.front().offset == bases[2]);
    const auto other = consume_all(*f.client, topic, {1}, StartPosition::at(0));
    CHECK(other.size() == kBatches * kPerBatch);
  }
}

TEST_CASE("reliability: consuming across a flipped bit fails with CORRUPT_BATCH naming the partition") {
  DamagedTopic d(false);
  auto& f = d.f;
  const auto& topic = d.topic;
  const auto& bases = d.bases;

  Consumer consumer(*f.client);
  consumer.assign(topic, 0, StartPosition::at(bases[1]));
  try {
    const auto records = consumer.poll(1000);
    FAIL("poll returned " << records.size() << " records from a corrupt batch");
  } catch (const Error& e) {
    CHECK(e.code() == strata::ErrorCode::corrupt_batch);
    CHECK(std::string(e.what()).find(topic + "/0") != std::string::npos);
  }
  // The position did not move past the damage: asking again fails again.
  CHECK_THROWS_AS(static_cast<void>(consumer.poll(100)), Error);
}

TEST_CASE("reliability: a full recovery scan finds a flipped bit in a closed segment and cuts the log there") {
  DamagedTopic d(true);  // recovery has to scan it all
  auto& f = d.f;
  const auto& topic = d.topic;
  const auto& bases = d.bases;
  CHECK(f.broker.broker->wait_for_log("corrupt", 5s));
  auto wire = f.broker.client();
  const auto end = wire->list_offset(topic, 0, kLatestOffset);
  CHECK(end.error == ErrorCode::none);
  CHECK(static_cast<std::uint64_t>(end.offset) == bases[1]);  // cut at the damaged segment's first batch
  // What is left is exactly the intact prefix, all of it valid.
  const auto kept = consume_all(*f.client, topic, {0}, StartPosition::at(0));
  CHECK(kept.size() == bases[1]);
  // Appends continue at the cut.
  const auto recs = make_records("again", 0, 3, now_ms(), 40);
  const auto r = wire->produce(topic, 0, make_batch(recs), protocol::Acks::durable);
  CHECK(r.error == ErrorCode::none);
  CHECK(r.base_offset == bases[1]);
}

}  // namespace strata::it
