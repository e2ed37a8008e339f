// Integration test of the Producer's acknowledgement levels against a real
// broker: acks=none and acks=durable deliver every message.
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

TEST_CASE("client library: acks=none and acks=durable both deliver every message") {
  ClientFixture f;
  const std::string topic = "acks";
  f.client->create_topic(topic, 2);
  constexpr std::size_t kEach = 500;

  std::vector<std::string> keys, values;
  for (std::size_t i = 0; i < 2 * kEach; ++i) {
    keys.push_back("k" + std::to_string(i % 17));
    values.push_back((i < kEach ? "none-" : "durable-") + std::to_string(i));
  }
  std::vector<Ack> acks(2 * kEach);
  {
    ProducerOptions options;
    options.acks = strata::Acks::none;
    ScopedProducer kept(*f.client, options);
    Producer& producer = *kept;
    for (std::size_t i = 0; i < kEach; ++i) producer.send(make_record(topic, keys[i], values[i]), record_ack(acks, i));
    producer.flush();
  }
  for (std::size_t i = 0; i < kEach; ++i) {
    CHECK(acks[i].done);
    CHECK(acks[i].error.empty());
    CHECK(acks[i].offset == -1);  // no reply, no offset (RecordMetadata::offset)
  }
  // Nothing confirms acks=none writes: wait for them to show up.
  CHECK(eventually(
      [&] {
        std::int64_t total = 0;
        for (const auto& [start, end] : f.offsets(topic)) total += end - start;
        return total == static_cast<std::int64_t>(kEach);
      },
      10s));
  {
    ProducerOptions options;
    options.acks = strata::Acks::durable;
    ScopedProducer kept(*f.client, options);
    Producer& producer = *kept;
    for (std::size_t i = kEach; i < 2 * kEach; ++i) {
      producer.send(make_record(topic, keys[i], values[i]), record_ack(acks, i));
    }
    producer.flush();
  }
  for (std::size_t i = kEach; i < 2 * kEach; ++i) {
    CHECK(acks[i].done);
    CHECK_MESSAGE(acks[i].error.empty(), acks[i].error);
    CHECK(acks[i].offset >= 0);
  }

  const auto records = consume_all(*f.client, topic, all_partitions(2), StartPosition::earliest());
  CHECK(records.size() == 2 * kEach);
  std::map<std::string, int> count;
  for (const auto& r : records) {
    ++count[r.value.value_or("(null)")];
    const std::size_t i = std::stoul(r.value->substr(r.value->find('-') + 1));
    CHECK(r.key == keys[i]);
    CHECK(r.partition == strata::partition_for_key(keys[i], 2));
    if (i >= kEach) {
      CHECK(static_cast<std::int64_t>(r.offset) == acks[i].offset);
    }
  }
  for (const auto& v : values) CHECK_MESSAGE(count[v] == 1, v << " read " << count[v] << " times");
}

}  // namespace strata::it
