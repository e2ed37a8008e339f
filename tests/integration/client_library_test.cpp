// Integration tests of the client library (client/) against a real
// strata-broker process: the Producer's routing, batching and acks, the
// Consumer's start positions, and its handling of retention.
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

#include "protocol/partitioner.h"
#include "protocol/record.h"
#include "tests/integration/client_test_util.h"

namespace strata::it {
namespace {

using client::ClientError;
using client::ConsumerRecord;
using client::Producer;
using client::ProducerOptions;
using client::ProducerRecord;
using client::RecordMetadata;
using client::StartPosition;
using protocol::ErrorCode;

// What a send callback reported for one record.
struct Ack {
  bool done = false;
  std::uint32_t partition = 0;
  std::int64_t offset = -2;
  std::string error;
};

client::SendCallback record_ack(std::vector<Ack>& acks, std::size_t i) {
  return [&acks, i](const RecordMetadata* m, const ClientError* e) {
    Ack& a = acks[i];
    a.done = true;
    if (e != nullptr) {
      a.error = e->what();
    } else {
      a.partition = m->partition;
      a.offset = m->offset;
    }
  };
}

ProducerRecord make_record(const std::string& topic, std::optional<std::string_view> key,
                           std::optional<std::string_view> value) {
  ProducerRecord r;
  r.topic = topic;
  r.key = key;
  r.value = value;
  return r;
}

std::vector<std::uint32_t> all_partitions(std::uint32_t n) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t p = 0; p < n; ++p) out.push_back(p);
  return out;
}

std::vector<std::uint64_t> offsets_of(const std::vector<ConsumerRecord>& records) {
  std::vector<std::uint64_t> out;
  for (const auto& r : records) out.push_back(r.offset);
  return out;
}

std::vector<std::uint64_t> range(std::uint64_t from, std::uint64_t to) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t o = from; o < to; ++o) out.push_back(o);
  return out;
}

// A page that faults when touched while "guarded"; the fault handler counts
// the touch and unguards the page so the toucher continues.
std::atomic<char*> g_guard_page{nullptr};
std::atomic<int> g_guard_hits{0};
std::atomic<int> g_guard_toucher{0};  // thread id of the last toucher
struct sigaction g_previous_segv;

extern "C" void on_guard_fault(int sig, siginfo_t* info, void* context) {
  char* const page = g_guard_page.load();
  char* const at = static_cast<char*>(info->si_addr);
  if (page != nullptr && at >= page && at < page + 4096) {
    g_guard_toucher = static_cast<int>(::syscall(SYS_gettid));
    g_guard_hits.fetch_add(1);
    ::mprotect(page, 4096, PROT_READ | PROT_WRITE);
    return;  // the faulting access is retried and now succeeds
  }
  // Not ours: hand over to the previous handler (doctest's crash report).
  ::sigaction(SIGSEGV, &g_previous_segv, nullptr);
  (void)sig;
  (void)context;
}

// The scheduler state letter of one of this process's threads ('R', 'S', ...).
char thread_state(int tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() ? stat[paren + 2] : '?';
}

}  // namespace

TEST_CASE("client library: a Producer is not touched after its destructor returns") {
  // Producer::on_reply, on the connection's reader thread, lowers the
  // unfinished-record count (letting flush() and the destructor return) and
  // only then notifies the Producer's condition variables. The Producer is
  // placed on a page of its own; after each destroy the page is made
  // inaccessible for a moment, and any touch is counted. To make the race
  // repeatable, the test thread, the sender thread it starts and the reader
  // thread share one CPU, and the reader thread runs at SCHED_IDLE, so the
  // woken test thread runs first and finishes the destructor. (On a
  // heavily loaded machine the race can go unseen and the test pass; it
  // cannot fail when nothing touches the Producer.)
  ClientFixture f;
  f.client->create_topic("lifetime", 1);
  auto own_client = std::make_unique<client::Client>(client::ClientOptions{f.address});
  client::Client& c = *own_client;  // its reader thread is demoted below

  cpu_set_t saved;
  REQUIRE(::sched_getaffinity(0, sizeof saved, &saved) == 0);
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &saved)) cpus.push_back(cpu);
  }
  REQUIRE_FALSE(cpus.empty());
  // Pins the calling thread to one CPU.
  auto pin = [](int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return ::sched_setaffinity(0, sizeof one, &one) == 0;
  };

  void* mem = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(mem != MAP_FAILED);
  static_assert(sizeof(Producer) <= 4096);
  g_guard_page = static_cast<char*>(mem);
  g_guard_hits = 0;
  struct sigaction sa {};
  sa.sa_sigaction = on_guard_fault;
  sa.sa_flags = SA_SIGINFO;
  ::sigemptyset(&sa.sa_mask);
  REQUIRE(::sigaction(SIGSEGV, &sa, &g_previous_segv) == 0);
  // Whatever happens below: the old handler, the affinity, a usable page.
  struct Restore {
    void* mem;
    cpu_set_t affinity;
    ~Restore() {
      ::sigaction(SIGSEGV, &g_previous_segv, nullptr);
      ::sched_setaffinity(0, sizeof affinity, &affinity);
      ::mprotect(mem, 4096, PROT_READ | PROT_WRITE);
    }
  } restore{mem, saved};

  // Cycles rotate over the CPUs, so that a CPU busy with other work does
  // not hide the race in every cycle.
  constexpr int kCycles = 40;
  int touched_cycles = 0;
  std::atomic<bool> demoted{false};
  std::atomic<int> reader_tid{0};
  std::atomic<int> target_cpu{cpus[0]};
  for (int i = 0; i < kCycles; ++i) {
    target_cpu = cpus[static_cast<std::size_t>(i) % cpus.size()];
    REQUIRE(pin(target_cpu.load()));  // the Producer's sender thread inherits it
    REQUIRE(::mprotect(mem, 4096, PROT_READ | PROT_WRITE) == 0);
    auto* producer = new (mem) Producer(c);
    producer->send(make_record("lifetime", std::nullopt, "x"),
                   [&demoted, &reader_tid, &target_cpu, pin](const RecordMetadata*, const ClientError*) {
                     // On the reader thread: the test thread's CPU, lowest priority.
                     (void)pin(target_cpu.load());
                     if (!demoted.exchange(true)) {
                       reader_tid = static_cast<int>(::syscall(SYS_gettid));
                       sched_param param{};
                       (void)::sched_setscheduler(0, SCHED_IDLE, &param);
                     }
                   });
    producer->flush();
    producer->~Producer();
    const int before = g_guard_hits.load();
    REQUIRE(::mprotect(mem, 4096, PROT_NONE) == 0);
    // Wait until the reader thread is back to waiting for the next reply
    // (sleeping), i.e. has finished with this Producer.
    std::this_thread::sleep_for(1ms);
    if (reader_tid.load() != 0) {
      (void)eventually([&] { return thread_state(reader_tid.load()) == 'S'; }, 2s);
    }
    if (g_guard_hits.load() != before) ++touched_cycles;
  }
  std::this_thread::sleep_for(20ms);
  const bool by_reader = g_guard_toucher.load() != 0 && g_guard_toucher.load() == reader_tid.load();
  CHECK_MESSAGE(touched_cycles == 0, "in " << touched_cycles << " of " << kCycles
                                            << " cycles a thread touched the Producer after its destructor returned"
                                            << std::string(by_reader ? " (the connection's reader thread: the "
                                                                       "condition-variable notifications at the end "
                                                                       "of Producer::on_reply)"
                                                                     : ""));
  (void)::mprotect(mem, 4096, PROT_READ | PROT_WRITE);
  own_client.reset();  // joins the reader thread: nothing can touch the page now
  g_guard_page = nullptr;
  ::munmap(mem, 4096);  // (left mapped if the test stopped early: the reader thread may outlive `restore`)
}

TEST_CASE("client library: 10,000 keyed messages arrive once each, every key in one partition, in send order") {
  ClientFixture f;
  const std::string topic = "keyed";
  constexpr std::uint32_t kPartitions = 4;
  f.client->create_topic(topic, kPartitions);

  constexpr std::size_t kMessages = 10000;
  constexpr std::size_t kKeys = 200;
  std::vector<std::string> keys(kMessages), values(kMessages);
  std::vector<Ack> acks(kMessages);
  {
    ScopedProducer kept(*f.client);
    Producer& producer = *kept;
    for (std::size_t i = 0; i < kMessages; ++i) {
      keys[i] = "key-" + std::to_string(i % kKeys);
      values[i] = "value-" + std::to_string(i);
      producer.send(make_record(topic, keys[i], values[i]), record_ack(acks, i));
    }
    producer.flush();
  }

  // Every callback ran once, without error, with the partition the key
  // hashes to; offsets are unique within a partition.
  std::map<std::uint32_t, std::set<std::int64_t>> acked_offsets;
  std::size_t bad_acks = 0;
  for (std::size_t i = 0; i < kMessages; ++i) {
    const Ack& a = acks[i];
    const auto expected_partition = protocol::partition_for_key(protocol::as_bytes(keys[i]), kPartitions);
    if (!a.done || !a.error.empty() || a.offset < 0 || a.partition != expected_partition) {
      if (++bad_acks <= 5) {
        FAIL_CHECK("message " << i << ": done=" << a.done << " error='" << a.error << "' partition=" << a.partition
                              << " (key hashes to " << expected_partition << ") offset=" << a.offset);
      }
    }
    acked_offsets[a.partition].insert(a.offset);
  }
  REQUIRE(bad_acks == 0);
  std::size_t distinct = 0;
  for (const auto& [p, s] : acked_offsets) distinct += s.size();
  CHECK(distinct == kMessages);
  CHECK(acked_offsets.size() == kPartitions);  // 200 keys cover all 4 partitions

  // Read everything back from the earliest offset.
  const auto records = consume_all(*f.client, topic, all_partitions(kPartitions), StartPosition::earliest());
  CHECK(records.size() == kMessages);
  std::vector<int> seen(kMessages, 0);
  std::map<std::string, std::set<std::uint32_t>> partitions_of_key;
  std::map<std::pair<std::uint32_t, std::string>, long> last_index;  // (partition, key) -> message index
  std::map<std::uint32_t, std::int64_t> last_offset;
  std::size_t problems = 0;
  for (const auto& r : records) {
    REQUIRE(r.value.has_value());
    REQUIRE(r.value->starts_with("value-"));
    const std::size_t i = std::stoul(r.value->substr(6));
    REQUIRE(i < kMessages);
    ++seen[i];
    const bool ok = r.key == keys[i] && r.partition == acks[i].partition &&
                    static_cast<std::int64_t>(r.offset) == acks[i].offset && r.topic == topic;
    if (!ok && ++problems <= 5) {
      FAIL_CHECK("message " << i << " read at " << r.partition << "/" << r.offset << " with key '"
                            << r.key.value_or("(null)") << "'; producer reported " << acks[i].partition << "/"
                            << acks[i].offset << " with key '" << keys[i] << "'");
    }
    partitions_of_key[keys[i]].insert(r.partition);
    // Within a partition the consumer returns records in offset order ...
    auto lo = last_offset.find(r.partition);
    CHECK((lo == last_offset.end() || static_cast<std::int64_t>(r.offset) > lo->second));
    last_offset[r.partition] = static_cast<std::int64_t>(r.offset);
    // ... and one key's messages are in the order they were sent.
    auto [it, inserted] = last_index.emplace(std::make_pair(r.partition, keys[i]), static_cast<long>(i));
    if (!inserted) {
      if (it->second >= static_cast<long>(i) && ++problems <= 5) {
        FAIL_CHECK("key " << keys[i] << ": message " << i << " read after message " << it->second);
      }
      it->second = static_cast<long>(i);
    }
  }
  CHECK(problems == 0);
  CHECK(std::count(seen.begin(), seen.end(), 1) == static_cast<long>(kMessages));
  CHECK(partitions_of_key.size() == kKeys);
  for (const auto& [key, parts] : partitions_of_key) {
    CHECK_MESSAGE(parts.size() == 1, "key " << key << " is in " << parts.size() << " partitions");
  }

  // The CLI computes the same partition for a sample of keys (and for keys
  // that were never sent).
  const std::vector<std::string> sample{"key-0", "key-1", "key-57", "key-123", "key-199", "user:42/é", "x"};
  for (const auto& key : sample) {
    const auto expected = protocol::partition_for_key(protocol::as_bytes(key), kPartitions);
    const auto r = f.cli({"partition-for", topic, key});
    REQUIRE_MESSAGE(r.exited, r.describe());
    CHECK_MESSAGE(r.code == 0, r.describe());
    CHECK_MESSAGE(r.out == std::to_string(expected) + "\n", "key " << key << ": " << r.describe());
    if (partitions_of_key.count(key) != 0) CHECK(*partitions_of_key[key].begin() == expected);
  }
}

TEST_CASE("client library: one Producer shared by several threads keeps each key's order") {
  ClientFixture f;
  const std::string topic = "threads";
  f.client->create_topic(topic, 3);
  constexpr int kThreads = 4, kPerThread = 2500, kKeysPerThread = 10;
  std::vector<Ack> acks(kThreads * kPerThread);
  std::vector<std::string> keys(acks.size()), values(acks.size());
  {
    ScopedProducer kept(*f.client);
    Producer& producer = *kept;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const std::size_t n = static_cast<std::size_t>(t * kPerThread + i);
          keys[n] = "t" + std::to_string(t) + "-k" + std::to_string(i % kKeysPerThread);
          values[n] = std::to_string(n);
          producer.send(make_record(topic, keys[n], values[n]), record_ack(acks, n));
        }
      });
    }
    for (auto& th : threads) th.join();
    producer.flush();
  }
  for (const auto& a : acks) {
    REQUIRE(a.done);
    REQUIRE_MESSAGE(a.error.empty(), a.error);
  }
  const auto records = consume_all(*f.client, topic, all_partitions(3), StartPosition::earliest());
  REQUIRE(records.size() == acks.size());
  std::map<std::string, long> last;  // key -> last message number read
  std::set<std::string> seen;
  for (const auto& r : records) {
    const long n = std::stol(*r.value);
    CHECK(seen.insert(*r.value).second);
    CHECK(r.key == keys[static_cast<std::size_t>(n)]);
    CHECK(static_cast<std::int64_t>(r.offset) == acks[static_cast<std::size_t>(n)].offset);
    auto [it, inserted] = last.emplace(*r.key, n);
    if (!inserted) {
      CHECK_MESSAGE(it->second < n, "key " << *r.key << ": " << n << " read after " << it->second);
      it->second = n;
    }
  }
}

TEST_CASE("client library: send() with a future returns the partition and offset of each record") {
  ClientFixture f;
  const std::string topic = "futures";
  f.client->create_topic(topic, 3);
  const std::string key = "the-key";
  const auto key_partition = protocol::partition_for_key(protocol::as_bytes(key), 3);

  std::vector<std::string> values;
  for (int i = 0; i < 100; ++i) values.push_back("future-" + std::to_string(i));
  std::vector<std::future<RecordMetadata>> keyed, explicit_partition;
  {
    ScopedProducer kept(*f.client);
    Producer& producer = *kept;
    CHECK(producer.partition_for(topic, key) == key_partition);
    for (int i = 0; i < 100; ++i) {
      keyed.push_back(producer.send(make_record(topic, key, values[static_cast<std::size_t>(i)]),
                                    std::promise<RecordMetadata>()));
    }
    // An explicit partition overrides the key.
    const std::uint32_t other = (key_partition + 1) % 3;
    for (int i = 0; i < 10; ++i) {
      auto r = make_record(topic, key, values[static_cast<std::size_t>(i)]);
      r.partition = other;
      explicit_partition.push_back(producer.send(r, std::promise<RecordMetadata>()));
    }
    // The futures complete without flush (the linger expires).
    for (std::size_t i = 0; i < keyed.size(); ++i) {
      REQUIRE(keyed[i].wait_for(10s) == std::future_status::ready);
      const auto m = keyed[i].get();
      CHECK(m.topic == topic);
      CHECK(m.partition == key_partition);
      CHECK(m.offset == static_cast<std::int64_t>(i));
    }
    for (std::size_t i = 0; i < explicit_partition.size(); ++i) {
      REQUIRE(explicit_partition[i].wait_for(10s) == std::future_status::ready);
      const auto m = explicit_partition[i].get();
      CHECK(m.partition == other);
      CHECK(m.offset == static_cast<std::int64_t>(i));
    }

    // Failures known at once are thrown by send(), not left to the future.
    try {
      (void)producer.send(make_record("no-such-topic", key, "v"), std::promise<RecordMetadata>());
      FAIL("send to an unknown topic did not throw");
    } catch (const ClientError& e) {
      CHECK(e.code() == ErrorCode::unknown_topic);
      CHECK(std::string(e.what()).find("no-such-topic") != std::string::npos);
    }
    try {
      auto r = make_record(topic, key, "v");
      r.partition = 3;
      (void)producer.send(r, std::promise<RecordMetadata>());
      FAIL("send to partition 3 of 3 did not throw");
    } catch (const ClientError& e) {
      CHECK(e.code() == ErrorCode::unknown_partition);
    }
  }
  const auto records = consume_all(*f.client, topic, {key_partition}, StartPosition::earliest());
  REQUIRE(records.size() == 100);
  for (std::size_t i = 0; i < records.size(); ++i) {
    CHECK(records[i].offset == i);
    CHECK(records[i].value == values[i]);
    CHECK(records[i].key == key);
  }
}

TEST_CASE("client library: keyless messages stick to one partition per batch and rotate over all partitions") {
  ClientFixture f;
  const std::string topic = "keyless";
  constexpr std::uint32_t kPartitions = 4;
  f.client->create_topic(topic, kPartitions);

  // Eight rounds of 50 records, flushed after each: one batch per round.
  constexpr std::size_t kRounds = 8, kPerRound = 50;
  std::vector<Ack> acks(kRounds * kPerRound);
  std::vector<std::string> values(acks.size());
  std::vector<std::uint32_t> round_partition(kRounds);
  {
    ScopedProducer kept(*f.client);
    Producer& producer = *kept;
    for (std::size_t round = 0; round < kRounds; ++round) {
      for (std::size_t j = 0; j < kPerRound; ++j) {
        const std::size_t i = round * kPerRound + j;
        values[i] = "keyless-" + std::to_string(i);
        producer.send(make_record(topic, std::nullopt, values[i]), record_ack(acks, i));
      }
      producer.flush();
      std::set<std::uint32_t> used;
      for (std::size_t j = 0; j < kPerRound; ++j) {
        const Ack& a = acks[round * kPerRound + j];
        REQUIRE(a.done);
        REQUIRE_MESSAGE(a.error.empty(), a.error);
        used.insert(a.partition);
      }
      CHECK_MESSAGE(used.size() == 1, "round " << round << " was spread over " << used.size() << " partitions");
      round_partition[round] = *used.begin();
    }
  }
  std::string rounds_text;
  for (auto p : round_partition) rounds_text.append(std::to_string(p)).append(" ");
  INFO("partition of each round: " << rounds_text);
  // Each batch moves on to another partition; over 8 rounds each of the 4
  // partitions gets 2.
  for (std::size_t round = 1; round < kRounds; ++round) CHECK(round_partition[round] != round_partition[round - 1]);
  std::map<std::uint32_t, int> rounds_per_partition;
  for (auto p : round_partition) ++rounds_per_partition[p];
  CHECK(rounds_per_partition.size() == kPartitions);
  for (const auto& [p, n] : rounds_per_partition) CHECK_MESSAGE(n == 2, "partition " << p << " got " << n << " rounds");

  // Without flushes, small batches (closed when full) also spread out.
  constexpr std::size_t kMore = 4000;
  std::vector<Ack> more(kMore);
  std::vector<std::string> more_values(kMore);
  {
    ProducerOptions options;
    options.batch_bytes = 2048;
    ScopedProducer kept(*f.client, options);
    Producer& producer = *kept;
    for (std::size_t i = 0; i < kMore; ++i) {
      more_values[i] = "bulk-" + std::to_string(i);
      producer.send(make_record(topic, std::nullopt, more_values[i]), record_ack(more, i));
    }
    producer.flush();
  }
  std::map<std::uint32_t, std::size_t> per_partition;
  for (const auto& a : more) {
    REQUIRE(a.done);
    REQUIRE_MESSAGE(a.error.empty(), a.error);
    ++per_partition[a.partition];
  }
  std::string spread;
  for (const auto& [p, n] : per_partition) spread.append(std::to_string(p)).append(":").append(std::to_string(n)).append(" ");
  INFO("bulk keyless records per partition: " << spread);
  CHECK(per_partition.size() == kPartitions);
  for (const auto& [p, n] : per_partition) CHECK(n >= kMore / 10);

  // Everything arrived, once.
  const auto records = consume_all(*f.client, topic, all_partitions(kPartitions), StartPosition::earliest());
  CHECK(records.size() == acks.size() + kMore);
  std::multiset<std::string> got;
  for (const auto& r : records) {
    CHECK_FALSE(r.key.has_value());
    got.insert(r.value.value_or("(null)"));
  }
  for (const auto& v : values) CHECK(got.count(v) == 1);
  for (const auto& v : more_values) CHECK(got.count(v) == 1);
}

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
    options.acks = protocol::Acks::none;
    ScopedProducer kept(*f.client, options);
    Producer& producer = *kept;
    for (std::size_t i = 0; i < kEach; ++i) producer.send(make_record(topic, keys[i], values[i]), record_ack(acks, i));
    producer.flush();
  }
  for (std::size_t i = 0; i < kEach; ++i) {
    CHECK(acks[i].done);
    CHECK(acks[i].error.empty());
    CHECK(acks[i].offset == protocol::kNoOffset);  // no reply, no offset
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
    options.acks = protocol::Acks::durable;
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
    CHECK(r.partition == protocol::partition_for_key(protocol::as_bytes(keys[i]), 2));
    if (i >= kEach) {
      CHECK(static_cast<std::int64_t>(r.offset) == acks[i].offset);
    }
  }
  for (const auto& v : values) CHECK_MESSAGE(count[v] == 1, v << " read " << count[v] << " times");
}

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
  REQUIRE(f.client->list_offset(topic, 1, protocol::kLatestTimestamp) == 300);

  for (const std::uint64_t start : {150u, 100u, 1u, 299u}) {
    CAPTURE(start);
    const auto records = consume_all(*f.client, topic, {1}, StartPosition::at(start));
    CHECK(offsets_of(records) == range(start, 300));
    for (const auto& r : records) CHECK(r.value == values[r.offset]);
  }
  {
    // A start at the log end: nothing yet, and the position stays there.
    client::Consumer c(*f.client);
    c.assign(topic, 1, StartPosition::at(300));
    CHECK(c.poll(100).empty());
    CHECK(c.position(topic, 1) == 300);
    CHECK(c.at_end());
  }
  {
    // Past the log end: the broker's OFFSET_OUT_OF_RANGE, as a ClientError.
    client::Consumer c(*f.client);
    c.assign(topic, 1, StartPosition::at(301));
    try {
      (void)c.poll(100);
      FAIL("poll at offset 301 of 300 did not throw");
    } catch (const ClientError& e) {
      CHECK(e.code() == ErrorCode::offset_out_of_range);
    }
  }
  // Assigning a partition that does not exist fails at once.
  client::Consumer c(*f.client);
  CHECK_THROWS_AS(c.assign(topic, 2, StartPosition::earliest()), ClientError);
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

TEST_CASE("client library: OFFSET_OUT_OF_RANGE after retention is a ClientError; reset_to_earliest continues") {
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
  REQUIRE(f.client->list_offset(topic, 0, protocol::kLatestTimestamp) == static_cast<std::int64_t>(total));

  // Two consumers that have read the first batch only.
  client::ConsumerOptions small;
  small.partition_max_bytes = 1;  // one batch per fetch
  client::ConsumerOptions resetting = small;
  resetting.reset_to_earliest = true;
  client::Consumer strict(*f.client, small), lenient(*f.client, resetting);
  strict.assign(topic, 0, StartPosition::earliest());
  lenient.assign(topic, 0, StartPosition::earliest());
  const auto first_strict = strict.poll(1000);
  const auto first_lenient = lenient.poll(1000);
  REQUIRE(first_strict.size() == kPerBatch);
  REQUIRE(first_lenient.size() == kPerBatch);
  REQUIRE(strict.position(topic, 0) == kPerBatch);

  // Retention deletes the segments they were about to read.
  f.client->alter_configs(topic, {{"retention.bytes", "3000"}});
  REQUIRE(eventually([&] { return f.client->list_offset(topic, 0, protocol::kEarliestTimestamp) > 2 * kPerBatch; },
                     10s));
  std::this_thread::sleep_for(500ms);  // let retention settle
  const auto earliest = static_cast<std::uint64_t>(f.client->list_offset(topic, 0, protocol::kEarliestTimestamp));
  REQUIRE(earliest > 2 * kPerBatch);
  REQUIRE(earliest < total);

  try {
    (void)strict.poll(100);
    FAIL("poll below the log start did not throw");
  } catch (const ClientError& e) {
    CHECK(e.code() == ErrorCode::offset_out_of_range);
    CHECK(e.kind() == ClientError::Kind::broker);
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

TEST_CASE("client library: the partition-count cache refreshes on an unknown partition") {
  // client.h: "a metadata cache of partition counts that refreshes itself
  // on unknown-topic/partition errors". Another client recreates the topic
  // with more partitions; this one still has the old count cached.
  ClientFixture f;
  f.client->create_topic("grows", 2);
  REQUIRE(f.client->partition_count("grows") == 2);
  {
    client::Client other(client::ClientOptions{f.address});
    other.delete_topic("grows");
    other.create_topic("grows", 4);
  }
  REQUIRE(f.client->metadata({"grows"}).at(0).partitions.size() == 4);  // the broker has 4 ...
  CHECK(f.client->partition_count("grows") == 4);                        // ... and a metadata call updates the cache

  // The same, without an explicit metadata call in between.
  f.client->create_topic("grows2", 2);
  REQUIRE(f.client->partition_count("grows2") == 2);
  {
    client::Client other(client::ClientOptions{f.address});
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
    } catch (const ClientError& e) {
      FAIL_CHECK("send to partition 3 of the recreated 4-partition topic threw: " << std::string(e.what()));
    }
  }
  CHECK(acks[0].done);
  CHECK(acks[0].error.empty());
  CHECK(acks[0].partition == 3);
  client::Consumer consumer(*f.client);
  CHECK_NOTHROW(consumer.assign("grows2", 3, StartPosition::earliest()));
}

}  // namespace strata::it
