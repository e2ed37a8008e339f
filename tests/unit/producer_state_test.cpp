// storage::ProducerState on its own (storage/producer_state.h): which batch
// of a producer is appended, answered as a duplicate with its first
// offsets, or refused as out of order; sequence wrap; eviction of the least
// recently used producer; and the clean-shutdown snapshot, which decode()
// must refuse whole whenever it cannot be trusted, never reading past its
// input (each input is a vector of exactly its size, so ASan sees overreads).
#include <doctest/doctest.h>
#include <xxhash.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "protocol/byte_io.h"
#include "storage/producer_state.h"

namespace strata::test {
namespace {

using storage::Offset;
using storage::ProducerState;
using Verdict = storage::SequenceCheck::Verdict;

constexpr std::int32_t kMaxSeq = std::numeric_limits<std::int32_t>::max();

protocol::BatchHeader header(std::int64_t pid, std::int32_t seq, std::uint32_t count, std::uint64_t base = 0) {
  protocol::BatchHeader h;
  h.producer_id = pid;
  h.base_sequence = seq;
  h.record_count = count;
  h.base_offset = base;
  return h;
}

// One producer's batches as the log would place them: appended in order,
// each recorded at the next offset.
struct Sent {
  std::int32_t seq;
  std::uint32_t count;
  std::uint64_t base;
};

struct Producer {
  explicit Producer(std::int64_t id) : pid(id) {}
  std::int64_t pid;
  std::int32_t next_seq = 0;
  std::vector<Sent> sent;

  Sent send(ProducerState& state, std::uint64_t& log_end, std::uint32_t count) {
    const auto h = header(pid, next_seq, count, log_end);
    REQUIRE(state.check(h).verdict == Verdict::append);
    state.record(h);
    sent.push_back({next_seq, count, log_end});
    log_end += count;
    next_seq = protocol::next_sequence(next_seq, count);
    return sent.back();
  }
};

void check_duplicate(const ProducerState& state, std::int64_t pid, const Sent& s) {
  CAPTURE(pid);
  CAPTURE(s.seq);
  // The resend is stamped with a different (garbage) base offset: the answer must not echo it.
  const auto c = state.check(header(pid, s.seq, s.count, 999'999));
  REQUIRE(c.verdict == Verdict::duplicate);
  CHECK(c.original.base == Offset(s.base));
  CHECK(c.original.last() == Offset(s.base + s.count - 1));
  CHECK(c.original.first_sequence == s.seq);
  CHECK(c.original.record_count == s.count);
}

Verdict verdict(const ProducerState& state, std::int64_t pid, std::int32_t seq, std::uint32_t count = 1) {
  return state.check(header(pid, seq, count)).verdict;
}

TEST_CASE("in-order batches are appended, a resend of any of the last 5 is a duplicate, older ones and gaps are not") {
  ProducerState state;
  std::uint64_t end = 0;
  Producer p{42};
  for (std::uint32_t i = 0; i < 8; ++i) p.send(state, end, i % 3 + 1);
  CHECK(state.producers() == 1);
  CHECK(verdict(state, 42, p.next_seq, 4) == Verdict::append);

  for (std::size_t j = 3; j < 8; ++j) check_duplicate(state, 42, p.sent[j]);
  for (std::size_t j = 0; j < 3; ++j) {
    CAPTURE(j);
    CHECK(verdict(state, 42, p.sent[j].seq, p.sent[j].count) == Verdict::out_of_order);
  }
  // Same first sequence, other record count: not that batch.
  CHECK(verdict(state, 42, p.sent[7].seq, p.sent[7].count + 1) == Verdict::out_of_order);
  // Gaps ahead, and a sequence inside an earlier batch.
  CHECK(verdict(state, 42, p.next_seq + 1) == Verdict::out_of_order);
  CHECK(verdict(state, 42, p.next_seq + 1000) == Verdict::out_of_order);
  CHECK(verdict(state, 42, kMaxSeq) == Verdict::out_of_order);
  CHECK(verdict(state, 42, p.sent[7].seq + 1) == Verdict::out_of_order);
  CHECK(verdict(state, 42, p.next_seq - 1) == Verdict::out_of_order);

  // A check changes nothing: the in-order batch still goes in, and then the
  // window of 5 has moved by one.
  p.send(state, end, 2);
  CHECK(verdict(state, 42, p.sent[3].seq, p.sent[3].count) == Verdict::out_of_order);
  for (std::size_t j = 4; j < 9; ++j) check_duplicate(state, 42, p.sent[j]);
}

TEST_CASE("a producer the state has not seen is accepted at any sequence, producers are independent") {
  ProducerState state;
  for (const std::int32_t seq : {0, 1, 12345, kMaxSeq}) {
    CAPTURE(seq);
    CHECK(verdict(state, 7, seq) == Verdict::append);
  }
  std::uint64_t end = 0;
  Producer a{7};
  a.next_seq = 500;  // first seen mid-stream
  a.send(state, end, 3);
  a.send(state, end, 3);
  CHECK(verdict(state, 8, 999) == Verdict::append);
  CHECK(verdict(state, 0, 0) == Verdict::append);
  Producer b{8};
  b.next_seq = 999;
  b.send(state, end, 1);
  CHECK(state.producers() == 2);
  CHECK(verdict(state, 7, a.next_seq) == Verdict::append);
  CHECK(verdict(state, 7, b.next_seq) == Verdict::out_of_order);
  CHECK(verdict(state, 8, a.next_seq) == Verdict::out_of_order);
  check_duplicate(state, 7, a.sent[0]);
  check_duplicate(state, 8, b.sent[0]);
  // Another producer's batch with the same sequences is its own, not a duplicate.
  CHECK(verdict(state, 9, a.sent[0].seq, a.sent[0].count) == Verdict::append);
}

TEST_CASE("sequences wrap from INT32_MAX to 0") {
  CHECK(protocol::next_sequence(kMaxSeq, 1) == 0);
  CHECK(protocol::next_sequence(kMaxSeq - 1, 5) == 3);
  CHECK(protocol::next_sequence(0, 1) == 1);

  ProducerState state;
  std::uint64_t end = 100;
  Producer p{3};
  p.next_seq = kMaxSeq - 2;
  p.send(state, end, 3);  // kMaxSeq-2 .. kMaxSeq
  REQUIRE(p.next_seq == 0);
  CHECK(verdict(state, 3, 1) == Verdict::out_of_order);
  p.send(state, end, 2);  // 0, 1
  p.send(state, end, 1);  // 2
  check_duplicate(state, 3, p.sent[0]);
  check_duplicate(state, 3, p.sent[1]);

  // A batch that itself spans the wrap.
  Producer q{4};
  q.next_seq = kMaxSeq - 1;
  q.send(state, end, 5);  // kMaxSeq-1, kMaxSeq, 0, 1, 2
  REQUIRE(q.next_seq == 3);
  CHECK(verdict(state, 4, 0) == Verdict::out_of_order);
  q.send(state, end, 1);
  check_duplicate(state, 4, q.sent[0]);
}

TEST_CASE("a batch without a producer id or base sequence is always appended and never recorded") {
  ProducerState state;
  for (const auto& h : {header(-1, 5, 2, 0), header(5, -1, 2, 0), header(-1, -1, 1, 0)}) {
    CHECK(state.check(h).verdict == Verdict::append);
    state.record(h);
  }
  CHECK(state.producers() == 0);

  std::uint64_t end = 10;
  Producer p{5};
  p.send(state, end, 2);
  p.send(state, end, 2);
  // Producer 5 without a sequence: neither a gap nor a duplicate...
  for (const std::uint64_t base : {std::uint64_t{0}, end}) {
    const auto h = header(5, -1, 2, base);
    CHECK(state.check(h).verdict == Verdict::append);
    state.record(h);
  }
  auto with_seq_minus_pid = header(-1, p.sent[0].seq, p.sent[0].count, end);
  CHECK(state.check(with_seq_minus_pid).verdict == Verdict::append);
  state.record(with_seq_minus_pid);
  // ...and it left producer 5's window as it was.
  CHECK(state.producers() == 1);
  check_duplicate(state, 5, p.sent[0]);
  check_duplicate(state, 5, p.sent[1]);
  CHECK(verdict(state, 5, p.next_seq) == Verdict::append);
  CHECK(verdict(state, 5, p.next_seq + 2) == Verdict::out_of_order);
}

// Producers 0..1023 with one batch each at sequence 0, offset = id; then
// producer 0 appends again, so producer 1 is the least recently used.
ProducerState full_state(std::uint64_t& end) {
  ProducerState state;
  for (std::int64_t id = 0; id < static_cast<std::int64_t>(ProducerState::kMaxProducers); ++id) {
    state.record(header(id, 0, 1, end++));
  }
  state.record(header(0, 1, 1, end++));
  return state;
}

void check_after_eviction(const ProducerState& state) {
  CHECK(state.producers() == ProducerState::kMaxProducers);
  // Producer 1 is forgotten: its resend is new and any sequence goes.
  CHECK(verdict(state, 1, 0) == Verdict::append);
  CHECK(verdict(state, 1, 77) == Verdict::append);
  // Everyone else is still known.
  CHECK(state.check(header(0, 1, 1)).verdict == Verdict::duplicate);
  CHECK(verdict(state, 0, 5) == Verdict::out_of_order);
  for (const std::int64_t id : {2, 3, 500, 1023}) {
    CAPTURE(id);
    const auto c = state.check(header(id, 0, 1));
    REQUIRE(c.verdict == Verdict::duplicate);
    CHECK(c.original.base == Offset(static_cast<std::uint64_t>(id)));
    CHECK(verdict(state, id, 7) == Verdict::out_of_order);
  }
  CHECK(state.check(header(2000, 0, 1)).verdict == Verdict::duplicate);
}

TEST_CASE("beyond 1024 producers the least recently used one is forgotten") {
  std::uint64_t end = 0;
  ProducerState state = full_state(end);
  REQUIRE(state.producers() == ProducerState::kMaxProducers);
  // A new batch of a known producer evicts nobody.
  state.record(header(5, 1, 1, end++));
  CHECK(state.producers() == ProducerState::kMaxProducers);
  CHECK(verdict(state, 1, 77) == Verdict::out_of_order);
  state.record(header(2000, 0, 1, end++));
  check_after_eviction(state);
  // The next new one evicts producer 2 (producer 5 appended later).
  state.record(header(2001, 0, 1, end++));
  CHECK(verdict(state, 2, 77) == Verdict::append);
  CHECK(verdict(state, 3, 77) == Verdict::out_of_order);
  CHECK(verdict(state, 5, 77) == Verdict::out_of_order);
}

// A state exercising everything encode() holds: several producers, one
// whose ring of 5 has wrapped, one across the sequence wrap.
struct Sample {
  ProducerState state;
  std::uint64_t end = 0;
  std::vector<Producer> producers{Producer(1), Producer(99), Producer(std::numeric_limits<std::int64_t>::max())};
};

Sample sample() {
  Sample s;
  s.producers[2].next_seq = kMaxSeq - 3;
  for (std::uint32_t i = 0; i < 7; ++i) s.producers[0].send(s.state, s.end, i + 1);
  s.producers[1].send(s.state, s.end, 4);
  for (std::uint32_t i = 0; i < 3; ++i) s.producers[2].send(s.state, s.end, 2);
  return s;
}

// Every verdict (and original) a probe set gives is the same on both states.
void check_same_behaviour(const ProducerState& a, const ProducerState& b, const std::vector<Producer>& producers) {
  CHECK(a.producers() == b.producers());
  for (const Producer& p : producers) {
    std::vector<protocol::BatchHeader> probes;
    for (const Sent& s : p.sent) probes.push_back(header(p.pid, s.seq, s.count));
    for (const std::int32_t seq : {p.next_seq, p.next_seq + 1, 0, kMaxSeq}) probes.push_back(header(p.pid, seq, 1));
    for (const auto& h : probes) {
      CAPTURE(h.producer_id);
      CAPTURE(h.base_sequence);
      const auto x = a.check(h);
      const auto y = b.check(h);
      REQUIRE(x.verdict == y.verdict);
      if (x.verdict == Verdict::duplicate) {
        CHECK(x.original.base == y.original.base);
        CHECK(x.original.record_count == y.original.record_count);
      }
    }
  }
}

TEST_CASE("a snapshot decodes to a state that behaves the same, eviction order included") {
  Sample s = sample();
  const auto decoded = ProducerState::decode(s.state.encode(Offset(s.end)), Offset(s.end));
  REQUIRE(decoded.has_value());
  check_same_behaviour(s.state, *decoded, s.producers);
  // The behaviour itself, not only sameness: the ring wrapped as before.
  check_duplicate(*decoded, 1, s.producers[0].sent[2]);
  CHECK(verdict(*decoded, 1, s.producers[0].sent[1].seq, s.producers[0].sent[1].count) == Verdict::out_of_order);
  check_duplicate(*decoded, s.producers[2].pid, s.producers[2].sent[0]);

  const auto empty = ProducerState::decode(ProducerState{}.encode(Offset(0)), Offset(0));
  REQUIRE(empty.has_value());
  CHECK(empty->producers() == 0);

  std::uint64_t end = 0;
  ProducerState full = full_state(end);
  auto restored = ProducerState::decode(full.encode(Offset(end)), Offset(end));
  REQUIRE(restored.has_value());
  restored->record(header(2000, 0, 1, end++));
  check_after_eviction(*restored);
}

// ---------------------------------------------------------------- decode refusals

std::optional<ProducerState> decode_copy(const std::vector<std::uint8_t>& bytes, std::uint64_t end) {
  const std::vector<std::uint8_t> exact(bytes.begin(), bytes.end());  // capacity == size
  return ProducerState::decode(exact, Offset(end));
}

// body (everything before the checksum) with a valid checksum appended.
std::vector<std::uint8_t> seal(std::vector<std::uint8_t> body) {
  const std::uint64_t sum = XXH3_64bits(body.data(), body.size());
  body.resize(body.size() + sizeof sum);
  protocol::store_le(body.data() + body.size() - sizeof sum, sum);
  return body;
}
std::vector<std::uint8_t> body_of(const std::vector<std::uint8_t>& snapshot) {
  return {snapshot.begin(), snapshot.end() - 8};
}

// Snapshot layout (storage/FORMAT.md): u32 magic, u32 version, u64 log_end,
// u64 appends, u32 producers, then per producer i64 id, u64 last_used,
// u8 count and count x (i32 first_sequence, u64 base, u32 record_count).
constexpr std::size_t kProducersAt = 24;
constexpr std::size_t kFirstEntry = 28;
constexpr std::size_t kCountInEntry = 18;  // after id i64, epoch i16, last_used u64
constexpr std::size_t kBatchesInEntry = 19;
constexpr std::size_t kBatchSize = 16;

TEST_CASE("decode refuses a snapshot made for another log end") {
  Sample s = sample();
  const auto bytes = s.state.encode(Offset(s.end));
  REQUIRE(decode_copy(bytes, s.end).has_value());
  for (const std::uint64_t other : {std::uint64_t{0}, s.end - 1, s.end + 1, std::uint64_t{1} << 40}) {
    CAPTURE(other);
    CHECK_FALSE(decode_copy(bytes, other).has_value());
  }
}

TEST_CASE("decode refuses any flipped bit, any truncation and trailing bytes") {
  Sample s = sample();
  const auto bytes = s.state.encode(Offset(s.end));
  REQUIRE(bytes.size() > kFirstEntry + 8);
  std::size_t refused = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      auto flipped = bytes;
      flipped[i] = static_cast<std::uint8_t>(flipped[i] ^ (1u << bit));
      if (!decode_copy(flipped, s.end).has_value()) ++refused;
    }
  }
  CHECK(refused == bytes.size() * 8);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    CAPTURE(n);
    CHECK_FALSE(decode_copy({bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n)}, s.end).has_value());
  }
  auto longer = bytes;
  longer.push_back(0);
  CHECK_FALSE(decode_copy(longer, s.end).has_value());
  // Trailing bytes under a checksum that covers them.
  for (const std::size_t extra : {1u, 7u, 8u, 17u}) {
    CAPTURE(extra);
    auto body = body_of(bytes);
    body.resize(body.size() + extra, 0);
    CHECK_FALSE(decode_copy(seal(body), s.end).has_value());
  }
  // And a sealed body truncated at every length, so the checksum holds.
  const auto body = body_of(bytes);
  for (std::size_t n = 0; n < body.size(); ++n) {
    CAPTURE(n);
    CHECK_FALSE(decode_copy(seal({body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n)}), s.end).has_value());
  }
  CHECK(decode_copy(seal(body), s.end).has_value());
}

// A snapshot of one producer (id 6) with the given batches, end 1000.
std::vector<std::uint8_t> one_producer_body(std::uint32_t batches) {
  ProducerState state;
  for (std::uint32_t i = 0; i < batches; ++i) state.record(header(6, static_cast<std::int32_t>(i), 1, i));
  return body_of(state.encode(Offset(1000)));
}

TEST_CASE("decode refuses hostile counts and values under a valid checksum") {
  {
    const auto body = one_producer_body(2);
    REQUIRE(decode_copy(seal(body), 1000).has_value());
    REQUIRE(body.size() == kFirstEntry + kBatchesInEntry + 2 * kBatchSize);
  }
  SUBCASE("producer counts past what is there or past the limit") {
    for (const std::uint32_t n : {2u, 3u, 1024u, 1025u, 0xFFFF'FFFFu, 0u}) {
      CAPTURE(n);
      auto body = one_producer_body(2);
      protocol::store_le(body.data() + kProducersAt, n);
      CHECK_FALSE(decode_copy(seal(body), 1000).has_value());
    }
  }
  SUBCASE("batch counts 0, past what is there, past 5") {
    for (const int n : {0, 3, 5, 6, 255}) {
      CAPTURE(n);
      auto body = one_producer_body(2);
      body[kFirstEntry + kCountInEntry] = static_cast<std::uint8_t>(n);
      CHECK_FALSE(decode_copy(seal(body), 1000).has_value());
    }
    // 6 batches present and counted: still more than a producer keeps.
    auto body = one_producer_body(5);
    body.insert(body.end(), body.end() - static_cast<std::ptrdiff_t>(kBatchSize), body.end());
    body[kFirstEntry + kCountInEntry] = 6;
    CHECK_FALSE(decode_copy(seal(body), 1000).has_value());
  }
  SUBCASE("a negative producer id") {
    auto body = one_producer_body(1);
    protocol::store_le(body.data() + kFirstEntry, std::int64_t{-1});
    CHECK_FALSE(decode_copy(seal(body), 1000).has_value());
  }
  SUBCASE("the same producer twice") {
    auto body = one_producer_body(1);
    body.insert(body.end(), body.begin() + kFirstEntry, body.end());
    protocol::store_le(body.data() + kProducersAt, std::uint32_t{2});
    CHECK_FALSE(decode_copy(seal(body), 1000).has_value());
    protocol::store_le(body.data() + kFirstEntry, std::int64_t{7});  // made distinct: accepted
    CHECK(decode_copy(seal(body), 1000).has_value());
  }
  SUBCASE("a batch with a negative sequence, no records, or at or past the log end") {
    const std::size_t batch = kFirstEntry + kBatchesInEntry;
    auto neg = one_producer_body(1);
    protocol::store_le(neg.data() + batch, std::int32_t{-1});
    CHECK_FALSE(decode_copy(seal(neg), 1000).has_value());
    auto none = one_producer_body(1);
    protocol::store_le(none.data() + batch + 12, std::uint32_t{0});
    CHECK_FALSE(decode_copy(seal(none), 1000).has_value());
    for (const std::uint64_t base : {std::uint64_t{1000}, std::uint64_t{1001}, ~std::uint64_t{0}}) {
      auto past = one_producer_body(1);
      protocol::store_le(past.data() + batch + 4, base);
      CHECK_FALSE(decode_copy(seal(past), 1000).has_value());
    }
    auto last = one_producer_body(1);
    protocol::store_le(last.data() + batch + 4, std::uint64_t{999});
    CHECK(decode_copy(seal(last), 1000).has_value());
  }
  SUBCASE("another magic or version") {
    for (const std::size_t at : {std::size_t{0}, std::size_t{4}}) {
      auto body = one_producer_body(1);
      body[at] = static_cast<std::uint8_t>(body[at] + 1);
      CHECK_FALSE(decode_copy(seal(body), 1000).has_value());
    }
  }
}

}  // namespace
TEST_CASE("producer epochs: an older epoch is fenced, a newer one restarts the sequence at 0") {
  ProducerState state;
  auto at_epoch = [](std::int16_t epoch, std::int32_t seq, std::uint64_t base) {
    auto h = header(5, seq, 2, base);
    h.producer_epoch = epoch;
    return h;
  };
  REQUIRE(state.check(at_epoch(0, 0, 0)).verdict == Verdict::append);
  state.record(at_epoch(0, 0, 0));
  state.record(at_epoch(0, 2, 2));
  // A restarted producer with the next epoch must start at sequence 0.
  CHECK(state.check(at_epoch(1, 4, 4)).verdict == Verdict::out_of_order);
  REQUIRE(state.check(at_epoch(1, 0, 4)).verdict == Verdict::append);
  state.record(at_epoch(1, 0, 4));
  // The old instance is fenced, even with the sequence it would have used next.
  CHECK(state.check(at_epoch(0, 4, 6)).verdict == Verdict::fenced);
  // The new epoch dedupes its own retries, not the old epoch's batches.
  CHECK(state.check(at_epoch(1, 0, 6)).verdict == Verdict::duplicate);
  CHECK(state.check(at_epoch(1, 2, 6)).verdict == Verdict::append);

  SUBCASE("the epoch survives the snapshot") {
    const auto copy = ProducerState::decode(state.encode(Offset(6)), Offset(6));
    REQUIRE(copy.has_value());
    CHECK(copy->check(at_epoch(0, 4, 6)).verdict == Verdict::fenced);
    CHECK(copy->check(at_epoch(1, 2, 6)).verdict == Verdict::append);
  }
}

}  // namespace strata::test
