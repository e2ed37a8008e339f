// strata perf consume: C consumer threads, each with its own Client
// (connection) and Consumer, read the topic's partitions (partition p goes
// to thread p % C) from offset 0, until N messages in all or, without
// --messages, until every partition reaches the log end it had at start.
#include <iostream>
#include <vector>

#include "strata/consumer.h"
#include "client/perf/perf_benches.h"
#include "client/perf/perf_options.h"
#include "client/perf/perf_report.h"
#include "client/perf/perf_support.h"

namespace strata::perf {

namespace {

// A consumer that sees nothing new for this long gives up.
constexpr std::int64_t kIdleLimitNs = 10'000'000'000;

struct alignas(64) Counter {
  std::atomic<std::uint64_t> messages{0};
  std::atomic<std::uint64_t> bytes{0};
};

// Takes up to `want` of the `limit` messages the threads share; returns
// how many this thread may count.
std::uint64_t claim(std::atomic<std::uint64_t>& claimed, std::uint64_t limit, std::uint64_t want) {
  std::uint64_t have = claimed.load();
  for (;;) {
    const std::uint64_t take = std::min(want, limit - std::min(limit, have));
    if (take == 0 || claimed.compare_exchange_weak(have, have + take)) return take;
  }
}

void consume(const std::string& broker, const ConsumeOptions& o, const std::vector<std::uint64_t>& stop_at,
             std::uint32_t index, std::atomic<std::uint64_t>& claimed, Counter& c) {
  Client client(ClientOptions{broker});
  ConsumerOptions options;
  options.offset_reset = ConsumerOptions::OffsetReset::earliest;  // offset 0 may be gone to retention
  Consumer consumer(client, options);
  std::vector<std::uint32_t> mine;
  for (std::uint32_t p = index; p < stop_at.size(); p += o.consumers) {
    consumer.assign(o.topic, p, StartPosition::at(0));
    mine.push_back(p);
  }
  if (mine.empty()) return;
  const std::uint64_t limit = o.messages.value_or(UINT64_MAX);
  auto done = [&] {
    if (o.messages) return claimed.load() >= limit;
    for (auto p : mine) {
      if (consumer.position(o.topic, p) < stop_at[p]) return false;
    }
    return true;
  };
  std::int64_t last_progress = now_ns();
  std::vector<std::uint32_t> sizes;  // value sizes of this poll, kept only with --messages
  while (!done()) {
    std::uint64_t n = 0, bytes = 0;
    sizes.clear();
    const std::size_t seen = consumer.poll_each(100, [&](const RecordView& r) {
      if (!o.messages && r.offset() >= stop_at[r.partition()]) return;
      const auto size = static_cast<std::uint32_t>(r.value() ? r.value()->size() : 0);
      ++n;
      bytes += size;
      if (o.messages) sizes.push_back(size);
    });
    if (o.messages && n > 0) {
      const std::uint64_t take = claim(claimed, limit, n);
      if (take < n) {  // count only the first `take` of them
        bytes = 0;
        for (std::uint64_t i = 0; i < take; ++i) bytes += sizes[i];
        n = take;
      }
    }
    c.messages.fetch_add(n, std::memory_order_relaxed);
    c.bytes.fetch_add(bytes, std::memory_order_relaxed);
    const std::int64_t now = now_ns();
    if (seen > 0) last_progress = now;
    if (now - last_progress > kIdleLimitNs) {
      throw Error(Error::Kind::timeout, ErrorCode::request_timed_out,
                  "perf consume: no new messages on " + o.topic + " for 10 s after " +
                      std::to_string(c.messages.load()) +
                      " (fewer than --messages exist? produce more or lower --messages)");
    }
  }
}

}  // namespace

int consume_bench(const cli::Globals& g, const cli::Args& args) {
  const auto parsed = parse_consume(args);
  if (!parsed) return 0;
  const ConsumeOptions& o = *parsed;
  std::vector<std::uint64_t> stop_at;
  std::uint64_t available = 0;
  {
    Client admin(client_options(g));
    const std::uint32_t partitions = admin.partition_count(o.topic);
    for (std::uint32_t p = 0; p < partitions; ++p) {
      stop_at.push_back(static_cast<std::uint64_t>(admin.list_offset(o.topic, p, kLatestOffset)));
      available += stop_at.back() -
                   static_cast<std::uint64_t>(admin.list_offset(o.topic, p, kEarliestOffset));
    }
  }
  const std::uint32_t threads = std::min<std::uint32_t>(o.consumers, static_cast<std::uint32_t>(stop_at.size()));
  std::vector<std::unique_ptr<Counter>> counters;
  for (std::uint32_t i = 0; i < threads; ++i) counters.push_back(std::make_unique<Counter>());
  std::atomic<std::uint64_t> claimed{0};
  const std::int64_t start_ns = now_ns();
  {
    Progress progress("perf consume:", o.messages.value_or(available), [&counters] {
      std::uint64_t n = 0;
      for (const auto& c : counters) n += c->messages.load(std::memory_order_relaxed);
      return n;
    });
    run_workers(threads, [&](std::uint32_t i) { consume(g.broker, o, stop_at, i, claimed, *counters[i]); });
  }
  Throughput t;
  t.seconds = static_cast<double>(now_ns() - start_ns) / 1e9;
  for (const auto& c : counters) {
    t.messages += c->messages.load();
    t.bytes += c->bytes.load();
  }
  if (o.json) {
    JsonObject json;
    t.add_to(json);
    std::cout << json.str();
  } else {
    std::cout << "perf consume: " << o.topic << " from offset 0, " << stop_at.size() << " partitions, " << threads
              << " consumer(s)\n";
    std::cout << "  throughput: " << t.text() << "\n";
  }
  return 0;
}

}  // namespace strata::perf
