// Integration tests of the Producer's batch sizing against a real
// strata-broker: a batch never grows past batch_bytes (the producer closes
// it before the record that would), so batch_bytes equal to the topic's
// max.message.bytes is accepted; a record larger than batch_bytes goes alone.
#include <doctest/doctest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <string>
#include <vector>

#include "tests/integration/client_test_util.h"

namespace strata::it {
namespace {


std::size_t max_message_bytes(Client& c, const std::string& topic) {
  const auto configs = c.describe_configs(topic);
  if (const auto it = configs.find("max.message.bytes"); it != configs.end()) return std::stoul(it->second);
  FAIL("topic " << topic << " has no max.message.bytes");
  return 0;
}

// Sends every value to partition 0 of `topic` and returns the offsets the
// broker acknowledged; a failed record fails the test with its error.
std::vector<std::int64_t> send_all(Client& c, const std::string& topic, ProducerOptions options,
                                   const std::vector<std::string>& values) {
  std::vector<std::future<RecordMetadata>> futures;
  futures.reserve(values.size());
  {
    ScopedProducer producer(c, options);
    for (const auto& v : values) {
      ProducerRecord r;
      r.topic = topic;
      r.value = v;
      r.partition = 0;
      futures.push_back(producer->send_future(r));
    }
    producer->flush();
  }
  std::vector<std::int64_t> offsets;
  for (auto& f : futures) {
    try {
      offsets.push_back(f.get().offset);
    } catch (const std::exception& e) {
      FAIL("record " << offsets.size() << " failed: " << e.what());
    }
  }
  return offsets;
}

void check_arrived(Client& c, const std::string& topic, const std::vector<std::string>& values,
                   const std::vector<std::int64_t>& offsets) {
  for (std::size_t i = 0; i < offsets.size(); ++i) REQUIRE(offsets[i] == static_cast<std::int64_t>(i));
  const auto records = consume_all(c, topic, {0}, StartPosition::earliest());
  REQUIRE(records.size() == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) CHECK(records[i].value == values[i]);
}

TEST_CASE("producer: batch_bytes equal to max.message.bytes never makes a batch too large") {
  ClientFixture f;
  const std::string topic = "full-batches";
  f.client->create_topic(topic, 1);
  ProducerOptions options;
  options.batch_bytes = max_message_bytes(*f.client, topic);  // the broker's default, 1 MiB + 12
  options.linger_ms = 1000;  // batches close by size, not by time
  // About 3.5 batches of records of uneven sizes, so batch boundaries fall
  // between records and a batch could only fit by closing early.
  std::vector<std::string> values;
  std::size_t total = 0;
  for (std::size_t i = 0; total < options.batch_bytes * 7 / 2; ++i) {
    values.push_back(std::to_string(i) + std::string(50 + (i * 37) % 900, 'v'));
    total += values.back().size();
  }
  const auto offsets = send_all(*f.client, topic, options, values);
  check_arrived(*f.client, topic, values, offsets);
}

TEST_CASE("producer: a record larger than batch_bytes goes in a batch of its own") {
  ClientFixture f;
  const std::string topic = "big-record";
  f.client->create_topic(topic, 1, {{"max.message.bytes", "4096"}});
  ProducerOptions options;
  options.batch_bytes = 1024;
  options.linger_ms = 1000;
  // Small records around one of 3500 bytes: it fits max.message.bytes only
  // alone, not with the records before it (25: the open batch holds 5).
  std::vector<std::string> values;
  for (int i = 0; i < 25; ++i) values.push_back("small-" + std::to_string(i) + std::string(100, 's'));
  values.emplace_back(3500, 'B');
  for (int i = 25; i < 40; ++i) values.push_back("small-" + std::to_string(i) + std::string(100, 's'));
  const auto offsets = send_all(*f.client, topic, options, values);
  check_arrived(*f.client, topic, values, offsets);
}

}  // namespace
}  // namespace strata::it

namespace strata::it {

// A batch that fills is written at once, not held for linger_ms; the open
// batch behind it lingers. Who writes it is not checked: mostly the thread
// that filled it (2c55106), but the sender thread when it holds the send
// lock at that moment, and under load (the ASan stage) a sender kept busy
// by its own replies wrote every batch, so that is no test of behaviour.
TEST_CASE("producer: full batches are written at once, without waiting for linger_ms") {
  ClientFixture f;
  f.client->create_topic("full", 1);
  ProducerOptions options;
  options.batch_bytes = 4096;
  options.linger_ms = 60'000;
  options.acks = strata::Acks::none;
  ScopedProducer producer(*f.client, options);
  std::mutex mu;
  std::condition_variable cv;
  std::size_t done = 0;
  const std::string value(500, 'f');
  constexpr std::size_t kRecords = 160;  // 7 or 8 a batch: about 20 full batches, one open
  for (std::size_t i = 0; i < kRecords; ++i) {
    ProducerRecord r;
    r.topic = "full";
    r.value = value;
    r.partition = 0;
    producer->send(r, [&](const RecordMetadata*, const strata::Error* e) {
      CHECK(e == nullptr);
      std::lock_guard lock(mu);
      ++done;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    // Every full batch goes out with no flush; the open one lingers.
    CHECK(cv.wait_for(lock, 10s, [&] { return done >= kRecords - 8; }));
    CHECK(done < kRecords);
  }
  producer->flush();
  std::lock_guard lock(mu);
  CHECK(done == kRecords);
  CHECK(f.client->list_offset("full", 0, kLatestOffset) == static_cast<std::int64_t>(kRecords));
}

}  // namespace strata::it

namespace strata::it {

// Issue 16: the producer learns a topic's max.message.bytes (DescribeConfigs)
// and closes batches below it, whatever batch_bytes says; it learns it
// again after the broker refuses a batch as too large (the limit lowered
// while it ran).
TEST_CASE("producer: batches follow the topic's max.message.bytes, also after it is lowered") {
  ClientFixture f;
  const std::string topic = "shrinking";
  f.client->create_topic(topic, 1, {{"max.message.bytes", "8192"}});
  ProducerOptions options;  // batch_bytes 256 KiB
  options.linger_ms = 1000;
  std::vector<std::string> values;
  for (int i = 0; i < 300; ++i) values.push_back("record-" + std::to_string(i) + std::string(90, 'v'));
  std::vector<std::string> failures;
  std::mutex mu;
  auto send_all_values = [&](Producer& producer) {
    for (const auto& v : values) {
      ProducerRecord r;
      r.topic = topic;
      r.value = v;
      producer.send(r, [&](const RecordMetadata*, const strata::Error* e) {
        std::lock_guard lock(mu);
        if (e) failures.emplace_back(e->what());
      });
    }
    producer.flush();
  };
  ScopedProducer producer(*f.client, options);
  send_all_values(*producer);
  CHECK(failures.empty());
  f.client->alter_configs(topic, {{"max.message.bytes", "2048"}});
  // The first batch is refused, and those in flight behind it with it
  // (OUT_OF_ORDER_SEQUENCE, partition_queue.h); then batches fit again.
  send_all_values(*producer);
  const std::size_t refused = failures.size();
  REQUIRE(refused > 0);
  CHECK(failures.front().starts_with("BATCH_TOO_LARGE"));
  for (const auto& e : failures) {
    CHECK_MESSAGE((e.starts_with("BATCH_TOO_LARGE") || e.starts_with("OUT_OF_ORDER_SEQUENCE")), e);
  }
  send_all_values(*producer);
  CHECK(failures.size() == refused);
  const std::int64_t stored = f.client->list_offset(topic, 0, kLatestOffset);
  CHECK(stored == static_cast<std::int64_t>(3 * values.size() - refused));
}

}  // namespace strata::it
