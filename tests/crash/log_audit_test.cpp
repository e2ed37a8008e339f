// The crash test's checker must see every kind of damage it claims to:
// each case builds a log and ledgers by hand and expects one count.
#include <doctest/doctest.h>

#include "tests/crash/log_audit.h"
#include "tests/crash/message_scheme.h"

namespace strata::crash {
namespace {

constexpr std::uint32_t kPartitions = 2;

struct Fixture {
  std::vector<std::vector<SendEntry>> ledgers{std::vector<SendEntry>(8)};  // producer 0 sent p0-0..p0-7
  std::vector<ConsumerRecord> records;
  std::vector<std::uint64_t> next{0, 0};

  static std::uint32_t partition_of(std::uint64_t seq) {
    return strata::partition_for_key(message_key({0, seq}), kPartitions);
  }
  // Appends message `seq` to its partition's log; returns its offset.
  std::uint64_t append(std::uint64_t seq) {
    ConsumerRecord r;
    r.partition = partition_of(seq);
    r.offset = next[r.partition]++;
    r.key = message_key({0, seq});
    r.value = message_value(*r.key);
    records.push_back(r);
    return r.offset;
  }
  void ack(std::uint64_t seq, std::uint64_t offset) {
    ledgers[0][seq] = SendEntry{SendState::acked, partition_of(seq), static_cast<std::int64_t>(offset)};
  }
  AuditResult audit() const { return audit_log(records, kPartitions, ledgers, ledgers); }
};

}  // namespace

TEST_CASE("crash audit: a clean log of acknowledged messages passes") {
  Fixture f;
  for (std::uint64_t s = 0; s < 8; ++s) f.ack(s, f.append(s));
  const auto a = f.audit();
  CHECK(a.acknowledged == 8);
  CHECK_FALSE(a.failed(strata::Acks::durable, true));
}

TEST_CASE("crash audit: a missing acknowledged message is lost (a violation only with acks=durable)") {
  Fixture f;
  for (std::uint64_t s = 0; s < 7; ++s) f.ack(s, f.append(s));
  f.ack(7, f.next[Fixture::partition_of(7)]);  // acknowledged where nothing is
  const auto a = f.audit();
  CHECK(a.lost == 1);
  CHECK(a.failed(strata::Acks::durable, true));
  CHECK_FALSE(a.failed(strata::Acks::leader, true));
}

TEST_CASE("crash audit: a copy below the acknowledged offset is a retry duplicate, above it a duplicate") {
  Fixture f;
  const auto first = f.append(3);  // an attempt the broker wrote but never acknowledged
  f.ack(3, f.append(3));
  CHECK(f.audit().retry_duplicates == 1);
  CHECK_FALSE(f.audit().failed(strata::Acks::durable, false));
  CHECK(f.audit().failed(strata::Acks::durable, true));  // an idempotent broker keeps one copy
  (void)f.append(3);  // written again after its acknowledgement
  CHECK(f.audit().duplicated == 1);
  CHECK(f.audit().failed(strata::Acks::leader, true));
  CHECK(first == 0);
}

TEST_CASE("crash audit: an acknowledged message found elsewhere only is misplaced") {
  Fixture f;
  const auto at = f.append(2);
  f.ack(2, at + 1);
  CHECK(f.audit().misplaced == 1);
  CHECK(f.audit().failed(strata::Acks::durable, true));
}

TEST_CASE("crash audit: gaps, foreign keys, wrong values and wrong partitions are violations in both modes") {
  for (int damage = 0; damage < 4; ++damage) {
    CAPTURE(damage);
    Fixture f;
    for (std::uint64_t s = 0; s < 8; ++s) f.ack(s, f.append(s));
    auto& r = f.records[3];
    if (damage == 0) r.offset += 1;
    if (damage == 1) r.key = "p0-99";  // never sent
    if (damage == 2) r.value->push_back('x');
    if (damage == 3) r.partition = (r.partition + 1) % kPartitions;
    const auto a = f.audit();
    CHECK(a.gaps + a.foreign + a.corrupt + a.misrouted >= 1);
    CHECK(a.failed(strata::Acks::leader, true));
    CHECK_FALSE(a.examples.empty());
  }
}

TEST_CASE("crash audit: unacknowledged sends may be absent, or present more than once without idempotence") {
  Fixture f;
  (void)f.append(5);
  (void)f.append(5);
  const auto a = f.audit();
  CHECK(a.unacknowledged == 8);
  CHECK(a.unacknowledged_present == 1);
  CHECK(a.unacknowledged_copies == 1);
  CHECK_FALSE(a.failed(strata::Acks::durable, false));
  CHECK(a.failed(strata::Acks::durable, true));
  Fixture once;
  (void)once.append(5);
  CHECK_FALSE(once.audit().failed(strata::Acks::durable, true));
}

TEST_CASE("crash audit: message keys and values round-trip and reject what is not ours") {
  CHECK(parse_message_key(message_key({3, 12345})) == MessageId{3, 12345});
  CHECK_FALSE(parse_message_key("p3-012").has_value());
  CHECK_FALSE(parse_message_key("q3-1").has_value());
  CHECK_FALSE(parse_message_key("p3_1").has_value());
  CHECK(message_value("p1-7") == message_value("p1-7"));
  CHECK(message_value("p1-7") != message_value("p1-8"));
}

}  // namespace strata::crash
