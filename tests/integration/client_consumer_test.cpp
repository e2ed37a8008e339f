// Integration tests of the Consumer against a real broker: start positions
// (offset, time), retention's OFFSET_OUT_OF_RANGE, the partition-count cache.
#include <doctest/doctest.h>

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "tests/integration/client_test_util.h"

#include "tests/integration/client_library_test_util.h"

namespace strata::it {
using namespace library;

TEST_CASE("client library: a consumer started at a middle offset gets exactly the tail") {
  ClientFixture f;
  const std::string topic = "middle";
  f.client->create_topic(topic, 2);
  std::vector<std::string> values;
  for (int i = 0; i < 300; ++i) values.push_back("m-" + std::to_string(i));
  {
    ScopedProducer kept(*f.client);
    Producer& producer = *kept;
    // Partition 1: three batches of 100. Partition 0: a few records.
    for (std::size_t i = 0; i < values.size(); ++i) {
      auto r = make_record(topic, std::nullopt, values[i]);
      r.partition = 1;
      producer.send(r);
      if (i % 100 == 99) producer.flush();
    }
    for (int i = 0; i < 5; ++i) {
      auto r = make_record(topic, std::nullopt, "p0");
      r.partition = 0;
      producer.send(r);
    }
    producer.flush();
  }
  REQUIRE(f.client->list_offset(topic, 1, kLatestOffset) == 300);

  for (const std::uint64_t start : {150u, 100u, 1u, 299u}) {
    CAPTURE(start);
    const auto records = consume_all(*f.client, topic, {1}, StartPosition::at(start));
    CHECK(offsets_of(records) == range(start, 300));
    for (const auto& r : records) CHECK(r.value == values[r.offset]);
  }
  {
    // A start at the log end: nothing yet, and the position stays there.
    Consumer c(*f.client);
    c.assign(topic, 1, StartPosition::at(300));
    CHECK(c.poll(100).empty());
    CHECK(c.position(topic, 1) == 300);
    CHECK(c.at_end());
  }
  {
    // Past the log end: the broker's OFFSET_OUT_OF_RANGE, as a Error.
    Consumer c(*f.client);
    c.assign(topic, 1, StartPosition::at(301));
    try {
      (void)c.poll(100);
      FAIL("poll at offset 301 of 300 did not throw");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::offset_out_of_range);
    }
  }
  // Assigning a partition that does not exist fails at once.
  Consumer c(*f.client);
  CHECK_THROWS_AS(c.assign(topic, 2, StartPosition::earliest()), Error);
}

TEST_CASE("client library: a consumer started at a time gets exactly the messages at or after it") {
  ClientFixture f;
  const std::string topic = "times";
  f.client->create_topic(topic, 2);
  // Group A at t0 + i, then group B at t1 + i, one batch per group and partition.
  const std::int64_t t0 = now_ms() - 60'000;
  const std::int64_t t1 = t0 + 10'000;
  constexpr int kPerGroup = 50;
  {
    ScopedProducer kept(*f.client);
    Producer& producer = *kept;
    for (const std::int64_t base : {t0, t1}) {
      for (std::uint32_t p = 0; p < 2; ++p) {
        for (int i = 0; i < kPerGroup; ++i) {
          const std::string value = (base == t0 ? "A" : "B") + std::to_string(p) + "-" + std::to_string(i);
          auto r = make_record(topic, std::nullopt, value);
          r.partition = p;
          r.timestamp = base + i;
          producer.send(r);
        }
      }
      producer.flush();
    }
  }
  auto read_from = [&](std::int64_t ts) {
    auto records = consume_all(*f.client, topic, {0, 1}, StartPosition::at_time(ts));
    std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
      return std::tie(a.partition, a.offset) < std::tie(b.partition, b.offset);
    });
    return records;
  };
  auto expect_from = [&](std::int64_t ts, int first_index) {
    CAPTURE(ts - t0);
    const auto records = read_from(ts);
    REQUIRE(records.size() == static_cast<std::size_t>(2 * (2 * kPerGroup - first_index)));
    std::size_t k = 0;
    for (std::uint32_t p = 0; p < 2; ++p) {
      for (int i = first_index; i < 2 * kPerGroup; ++i, ++k) {
        const auto& r = records[k];
        CHECK(r.partition == p);
        CHECK(r.offset == static_cast<std::uint64_t>(i));
        const std::int64_t ts_expected = i < kPerGroup ? t0 + i : t1 + (i - kPerGroup);
        CHECK(r.timestamp == ts_expected);
        CHECK(r.timestamp >= ts);
      }
    }
  };
  expect_from(t1, kPerGroup);              // exactly group B
  expect_from(t1 - 5000, kPerGroup);       // between the groups
  expect_from(t0 + 25, 25);                // inside group A's batch: record precision
  expect_from(t0 - 1000, 0);               // before everything
  expect_from(t1 + kPerGroup - 1, 2 * kPerGroup - 1);  // the last record only
  CHECK(read_from(t1 + kPerGroup).empty());  // after everything: nothing
}

TEST_CASE("client library: OFFSET_OUT_OF_RANGE after retention is a Error, offset_reset earliest continues") {
  ClientFixture f({"--retention-check-interval-ms", "200"});
  const std::string topic = "retained";
  f.client->create_topic(topic, 1, {{"segment.bytes", "1024"}});
  constexpr int kBatches = 30, kPerBatch = 10;
  std::vector<std::string> values;
  {
    ScopedProducer kept(*f.client);
    Producer& producer = *kept;
    for (int b = 0; b < kBatches; ++b) {
      for (int i = 0; i < kPerBatch; ++i) {
        std::string v = "r-" + std::to_string(values.size());
        v.resize(100, '.');
        values.push_back(v);
        producer.send(make_record(topic, std::nullopt, values.back()));
      }
      producer.flush();  // one batch, and about one segment, per flush
    }
  }
  const auto total = static_cast<std::uint64_t>(values.size());
  REQUIRE(f.client->list_offset(topic, 0, kLatestOffset) == static_cast<std::int64_t>(total));

  // Two consumers that have read the first batch only.
  ConsumerOptions small;
  small.partition_max_bytes = 1;  // one batch per fetch
  ConsumerOptions resetting = small;
  resetting.offset_reset = ConsumerOptions::OffsetReset::earliest;
  Consumer strict(*f.client, small), lenient(*f.client, resetting);
  strict.assign(topic, 0, StartPosition::earliest());
  lenient.assign(topic, 0, StartPosition::earliest());
  const auto first_strict = strict.poll(1000);
  const auto first_lenient = lenient.poll(1000);
  REQUIRE(first_strict.size() == kPerBatch);
  REQUIRE(first_lenient.size() == kPerBatch);
  REQUIRE(strict.position(topic, 0) == kPerBatch);

  // Retention deletes the segments they were about to read.
  f.client->alter_configs(topic, {{"retention.bytes", "3000"}});
  REQUIRE(eventually([&] { return f.client->list_offset(topic, 0, kEarliestOffset) > 2 * kPerBatch; },
                     10s));
  std::this_thread::sleep_for(500ms);  // let retention settle
  const auto earliest = static_cast<std::uint64_t>(f.client->list_offset(topic, 0, kEarliestOffset));
  REQUIRE(earliest > 2 * kPerBatch);
  REQUIRE(earliest < total);

  try {
    (void)strict.poll(100);
    FAIL("poll below the log start did not throw");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::offset_out_of_range);
    CHECK(e.kind() == Error::Kind::broker);
    CHECK_FALSE(e.retriable());
    CHECK(std::string(e.what()).find("OFFSET_OUT_OF_RANGE") != std::string::npos);
  }

  std::vector<ConsumerRecord> rest;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (lenient.position(topic, 0) < total && std::chrono::steady_clock::now() < deadline) {
    for (auto& r : lenient.poll(200)) rest.push_back(std::move(r));
  }
  CHECK(offsets_of(rest) == range(earliest, total));
  for (const auto& r : rest) CHECK(r.value == values[r.offset]);
  CHECK(lenient.at_end());
}

// Issue 25 item 1: poll_each decoded p0's records and advanced p0's
// position, then threw for p1 (OFFSET_OUT_OF_RANGE after retention), and
// poll() dropped the vector it was filling: p0's 10 records were lost.
TEST_CASE("client library: a partition's OFFSET_OUT_OF_RANGE does not lose another partition's records") {
  ClientFixture f({"--retention-check-interval-ms", "200"});
  const std::string topic = "mixed";
  f.client->create_topic(topic, 2, {{"segment.bytes", "1024"}, {"retention.bytes", "1500"}});
  auto value_of = [](std::uint32_t p, std::size_t i) {
    std::string v = "p" + std::to_string(p) + "-" + std::to_string(i) + "-";
    v.resize(90, '.');
    return v;
  };
  {
    ScopedProducer kept(*f.client);
    Producer& producer = *kept;
    for (std::size_t b = 0; b < 10; ++b) {  // p1: ten batches of ten, about one segment each
      for (std::size_t i = 0; i < 10; ++i) {
        const std::string value = value_of(1, b * 10 + i);  // the record holds a view of it
        ProducerRecord r = make_record(topic, std::nullopt, value);
        r.partition = 1;
        producer.send(r);
      }
      producer.flush();
    }
  }
  REQUIRE(eventually([&] { return f.client->list_offset(topic, 1, kEarliestOffset) >= 80; }, 10s));
  {
    ScopedProducer kept(*f.client);
    for (std::size_t i = 0; i < 10; ++i) {  // p0: ten records in one batch, retention keeps them
      const std::string value = value_of(0, i);
      ProducerRecord r = make_record(topic, std::nullopt, value);
      r.partition = 0;
      kept->send(r);
    }
    kept->flush();
  }
  const auto p1_start = static_cast<std::uint64_t>(f.client->list_offset(topic, 1, kEarliestOffset));

  Consumer consumer(*f.client);
  consumer.assign(topic, 0, StartPosition::at(0));
  consumer.assign(topic, 1, StartPosition::at(0));
  const auto first = consumer.poll(1000);  // p0's records, p1's error withheld
  CHECK(offsets_of(first) == range(0, 10));
  for (const auto& r : first) {
    CHECK(r.partition == 0);
    CHECK(r.value == value_of(0, r.offset));
  }
  CHECK(consumer.position(topic, 0) == 10);
  try {
    (void)consumer.poll(100);
    FAIL("p1's OFFSET_OUT_OF_RANGE was not reported");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::offset_out_of_range);
    CHECK(std::string(e.what()).find(topic + "/1 at offset 0") != std::string::npos);
  }
  CHECK(consumer.position(topic, 1) == 0);  // not moved by the error
  consumer.assign(topic, 1, StartPosition::earliest());
  std::vector<ConsumerRecord> rest;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!consumer.at_end() && std::chrono::steady_clock::now() < deadline) {
    for (auto& r : consumer.poll(200)) rest.push_back(std::move(r));
  }
  CHECK(offsets_of(rest) == range(p1_start, 100));

  // With offset_reset = earliest one consumer reads everything there is.
  ConsumerOptions resetting;
  resetting.offset_reset = ConsumerOptions::OffsetReset::earliest;
  const auto all = consume_all(*f.client, topic, {0, 1}, StartPosition::at(0), resetting);
  std::size_t p0 = 0, p1 = 0;
  for (const auto& r : all) ++(r.partition == 0 ? p0 : p1);
  CHECK(p0 == 10);
  CHECK(p1 == 100 - p1_start);
  // latest skips to the log end.
  ConsumerOptions to_latest;
  to_latest.offset_reset = ConsumerOptions::OffsetReset::latest;
  Consumer skipping(*f.client, to_latest);
  skipping.assign(topic, 1, StartPosition::at(0));
  CHECK(skipping.poll(100).empty());
  CHECK(skipping.position(topic, 1) == 100);
}

TEST_CASE("client library: the partition-count cache refreshes on an unknown partition") {
  // client.h: "a metadata cache of partition counts that refreshes itself
  // on unknown-topic/partition errors". Another client recreates the topic
  // with more partitions; this one still has the old count cached.
  ClientFixture f;
  f.client->create_topic("grows", 2);
  REQUIRE(f.client->partition_count("grows") == 2);
  {
    Client other(ClientOptions{f.address});
    other.delete_topic("grows");
    other.create_topic("grows", 4);
  }
  REQUIRE(f.client->describe_topic("grows").partitions == 4);  // the broker has 4 ...
  CHECK(f.client->partition_count("grows") == 4);                        // ... and a metadata call updates the cache

  // The same, without an explicit metadata call in between.
  f.client->create_topic("grows2", 2);
  REQUIRE(f.client->partition_count("grows2") == 2);
  {
    Client other(ClientOptions{f.address});
    other.delete_topic("grows2");
    other.create_topic("grows2", 4);
  }
  std::vector<Ack> acks(1);
  {
    ScopedProducer kept(*f.client);
    auto r = make_record("grows2", std::nullopt, "to partition 3");
    r.partition = 3;
    try {
      kept->send(r, record_ack(acks, 0));
      kept->flush();
    } catch (const Error& e) {
      FAIL_CHECK("send to partition 3 of the recreated 4-partition topic threw: " << std::string(e.what()));
    }
  }
  CHECK(acks[0].done);
  CHECK(acks[0].error.empty());
  CHECK(acks[0].partition == 3);
  Consumer consumer(*f.client);
  CHECK_NOTHROW(consumer.assign("grows2", 3, StartPosition::earliest()));
}

}  // namespace strata::it
