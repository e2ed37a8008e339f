// strata perf produce: C producer threads, each with its own Client
// (connection) and Producer, send N messages between them as fast as the
// producer accepts them; ack latency is send() to the record's callback.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <latch>
#include <memory>
#include <mutex>
#include <vector>

#include "client/perf/perf_benches.h"
#include "client/perf/perf_options.h"
#include "client/perf/perf_report.h"
#include "client/perf/perf_support.h"

namespace strata::perf {

namespace {

// One producer thread's state. The histogram (in ticks()) is written by the callbacks,
// which run on the connection's reader thread; read after the join.
struct alignas(64) Worker {
  LatencyHistogram acks;
  std::atomic<std::uint64_t> sent{0};
  std::atomic<std::uint64_t> errors{0};
  std::int64_t end_ns = 0;
  std::mutex error_mu;
  std::string first_error;

  void failed(const strata::Error& e) {
    errors.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(error_mu);
    if (first_error.empty()) first_error = e.what();
  }
};

// K distinct 16-byte keys, "key-000000000042", back to back in one buffer:
// a record's key is one 16-byte load from it, not a std::string's pointer
// chase to its own heap block (which made the benchmark wait on memory).
class KeyTable {
 public:
  static constexpr std::size_t kKeyBytes = 16;
  explicit KeyTable(std::uint32_t k) : bytes_(std::size_t{k} * kKeyBytes, '\0'), count_(k) {
    for (std::uint32_t i = 0; i < k; ++i) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "key-%012u", i);
      std::memcpy(bytes_.data() + std::size_t{i} * kKeyBytes, buf, kKeyBytes);
    }
  }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  [[nodiscard]] std::uint32_t size() const noexcept { return count_; }
  [[nodiscard]] std::string_view operator[](std::uint64_t i) const noexcept {
    return {bytes_.data() + i * kKeyBytes, kKeyBytes};
  }

 private:
  std::string bytes_;
  std::uint32_t count_;
};

// The values messages cycle through: one of the alphabet repeated
// ("letters"), or 4,096 distinct JSON-like objects of `size` bytes ("json":
// the repetitive text compression is for).
std::vector<std::string> payload_values(Payload payload, std::size_t size) {
  if (payload == Payload::letters) {
    std::string value(size, '\0');
    for (std::size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>('a' + i % 26);
    return {value};
  }
  std::vector<std::string> values(4096);
  for (std::size_t n = 0; n < values.size(); ++n) {
    std::string v = R"({"user":"user-)" + std::to_string(n * 7919 % 1000) + R"(","event":")" +
                    (n % 3 == 0 ? "page_view" : n % 3 == 1 ? "add_to_cart" : "checkout") +
                    R"(","session":")" + std::to_string(n * 104729 % 99991) + R"(","items":[)";
    while (v.size() < size) {
      v += R"({"sku":"SKU-)" + std::to_string((n + v.size()) % 251) + R"(","qty":)" + std::to_string(1 + n % 4) + "},";
    }
    v.resize(size);
    values[n] = std::move(v);
  }
  return values;
}

// Connects, waits for `go` (after counting down `ready`, also on failure),
// then sends `count` messages and flushes.
void produce(const std::string& broker, const ProduceOptions& o, const KeyTable& keys,
             const std::vector<std::string>& values, std::uint64_t count, std::uint32_t index, Worker& w, std::latch& ready,
             std::latch& go) {
  std::unique_ptr<Client> client;
  std::unique_ptr<Producer> producer_ptr;
  try {
    client = std::make_unique<Client>(ClientOptions{broker});
    producer_ptr = std::make_unique<Producer>(*client, o.producer_options());
  } catch (...) {
    ready.count_down();  // the others must not wait for this one
    throw;
  }
  Producer& producer = *producer_ptr;
  ProducerRecord r;
  r.topic = o.topic;
  const std::size_t value_mask = values.size() - 1;  // a power of two
  r.value = values[0];
  std::uint64_t rng = 0x9E3779B97F4A7C15ull * (index + 1);  // xorshift64: which key
  const bool acked = o.acks != Acks::none;
  ready.count_down();
  go.wait();
  auto next_key = [&rng, &keys] {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng % keys.size();
  };
  std::uint64_t key_index = keys.empty() ? 0 : next_key();
  for (std::uint64_t i = 0; i < count; ++i) {
    if (value_mask != 0) r.value = values[i & value_mask];
    if (!keys.empty()) {
      r.key = keys[key_index];
      // The next record's key is fetched from memory while this one is
      // sent: a random pick from a table larger than the cache would
      // otherwise stall every record on a miss, which an application
      // (whose key is at hand) does not pay.
      key_index = next_key();
      __builtin_prefetch(keys[key_index].data());
    }
    if (acked) {
      const std::int64_t t0 = ticks();
      producer.send(r, [&w, t0](const RecordMetadata*, const strata::Error* e) {
        if (e) {
          w.failed(*e);
        } else {
          w.acks.record(ticks() - t0);
        }
      });
    } else {
      producer.send(r);
    }
    w.sent.store(i + 1, std::memory_order_relaxed);
  }
  producer.flush();
  w.end_ns = now_ns();
}

}  // namespace

int produce_bench(const cli::Globals& g, const cli::Args& args) {
  const auto parsed = parse_produce(args);
  if (!parsed) return 0;
  const ProduceOptions& o = *parsed;
  std::uint32_t partitions = 0;
  {
    Client admin(client_options(g));
    partitions = ensure_topic(admin, o.topic, o.partitions);
  }
  const KeyTable keys(o.keys);
  const std::vector<std::string> values = payload_values(o.payload, o.size);

  std::vector<std::unique_ptr<Worker>> workers;
  for (std::uint32_t i = 0; i < o.producers; ++i) workers.push_back(std::make_unique<Worker>());
  std::latch ready(o.producers), go(1);
  const TickRate tick_rate;
  std::int64_t start_ns = 0;
  {
    Progress progress("perf produce:", o.messages, [&workers] {
      std::uint64_t n = 0;
      for (const auto& w : workers) n += w->sent.load(std::memory_order_relaxed);
      return n;
    });
    std::thread starter([&] {
      ready.wait();  // every producer connected
      start_ns = now_ns();
      go.count_down();
    });
    try {
      run_workers(o.producers, [&](std::uint32_t i) {
        const std::uint64_t share = o.messages / o.producers + (i < o.messages % o.producers ? 1 : 0);
        produce(g.broker, o, keys, values, share, i, *workers[i], ready, go);
      });
    } catch (...) {
      starter.join();
      throw;
    }
    starter.join();
  }
  std::int64_t end_ns = start_ns;
  LatencyHistogram acks;
  std::uint64_t errors = 0;
  std::string first_error;
  for (const auto& w : workers) {
    end_ns = std::max(end_ns, w->end_ns);
    acks.merge(w->acks);
    errors += w->errors.load();
    if (first_error.empty()) first_error = w->first_error;
  }
  const Throughput t{o.messages - errors, (o.messages - errors) * o.size, static_cast<double>(end_ns - start_ns) / 1e9};
  const bool acked = o.acks != Acks::none;
  if (o.json) {
    JsonObject json;
    t.add_to(json);
    add_percentiles(json, acked ? &acks : nullptr, tick_rate.ns_per_tick());
    json.add("errors", errors);
    std::cout << json.str();
  } else {
    std::cout << "perf produce: " << o.messages << " messages of " << o.size << " B to " << o.topic << " ("
              << partitions << " partitions, " << o.producers << " producer(s), acks=" << acks_name(o.acks)
              << ", " << (o.keys ? std::to_string(o.keys) + " distinct 16-byte keys" : std::string("keyless"))
              << ", batch " << o.batch_bytes << " B, linger " << o.linger_ms << " ms)\n";
    std::cout << "  throughput: " << t.text() << "\n";
    if (acked) {
      std::cout << "  ack latency (send() to its callback): " << percentiles_text(acks, tick_rate.ns_per_tick()) << "\n";
    } else {
      std::cout << "  ack latency: not measurable with acks=none (the broker sends no reply)\n";
    }
    std::cout << "  errors: " << errors << "\n";
  }
  if (errors > 0) std::cerr << "strata: perf produce: " << errors << " messages failed: " << first_error << "\n";
  return errors > 0 ? 1 : 0;
}

}  // namespace strata::perf
