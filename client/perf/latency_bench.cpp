// strata perf latency: end-to-end latency at a fixed rate. The sender
// schedules message i at start + i/R and writes that scheduled time
// (steady clock, ns) into the first 8 bytes of the value; a consumer thread
// on its own connection computes receipt time minus scheduled time. Measuring
// from the schedule, not from the actual send, keeps a stalled sender from
// hiding latency (no coordinated omission).
#include <sys/prctl.h>

#include <cstring>
#include <iostream>
#include <latch>

#include "client/cli/backoff.h"
#include "strata/consumer.h"
#include "client/perf/perf_benches.h"
#include "client/perf/perf_options.h"
#include "client/perf/perf_report.h"
#include "client/perf/perf_support.h"

namespace strata::perf {

namespace {

// A message sent this long after its scheduled time counts as late.
constexpr std::int64_t kLateNs = 1'000'000;
// The consumer gives up this long after the last message was sent.
constexpr std::int64_t kDrainLimitNs = 10'000'000'000;

struct Shared {
  std::atomic<std::uint64_t> received{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::int64_t> sender_done_ns{0};  // 0 while sending
  std::mutex error_mu;
  std::string first_error;
  LatencyHistogram latency;  // consumer thread only
  LatencyHistogram ack;      // scheduled send to acknowledgement; the producer's reply thread only
};

void receive(const std::string& broker, const LatencyOptions& o, std::uint32_t partitions, Shared& s,
             std::latch& ready) {
  std::unique_ptr<Client> client;
  std::unique_ptr<Consumer> consumer;
  try {
    client = std::make_unique<Client>(ClientOptions{broker});
    consumer = std::make_unique<Consumer>(*client);
    for (std::uint32_t p = 0; p < partitions; ++p) {
      consumer->assign(o.topic, p, StartPosition::latest());
      (void)consumer->position(o.topic, p);  // resolve "latest" before anything is sent
    }
  } catch (...) {
    ready.count_down();
    throw;
  }
  ready.count_down();
  cli::Backoff backoff;
  while (s.received.load() < o.messages) {
    try {
      (void)consumer->poll_each(100, [&s](const RecordView& r) {
        const auto value = r.value();
        if (!value || value->size() < 8) return;
        std::int64_t due = 0;
        std::memcpy(&due, value->data(), sizeof due);
        s.latency.record(now_ns() - due);
        s.received.fetch_add(1, std::memory_order_relaxed);
      });
      backoff.reset();
    } catch (const Error& e) {
      // A broker restart: the positions are kept (a network error hands
      // nothing over), so reading resumes at the next offset.
      if (e.kind() != Error::Kind::network && e.kind() != Error::Kind::timeout) throw;
      const auto wait = backoff.next();
      std::cerr << "strata: perf latency: " << e.what() << "; reconnecting in " << wait.count() << " ms\n";
      const std::int64_t stop_after = s.sender_done_ns.load();
      cli::Backoff::sleep(wait, [] { return false; });
      if (stop_after != 0 && now_ns() - stop_after > kDrainLimitNs) break;
    }
    const std::int64_t done = s.sender_done_ns.load();
    if (done != 0 && now_ns() - done > kDrainLimitNs) break;  // lost messages: report what arrived
  }
}

// Returns how many messages were late.
std::uint64_t send(const std::string& broker, const LatencyOptions& o, Shared& s) {
  ::prctl(PR_SET_TIMERSLACK, 1UL);  // wake on time, not up to 50 us late
  Client client(ClientOptions{broker});
  Producer producer(client, o.producer_options());
  std::string value(o.size, 'v');
  ProducerRecord r;
  r.topic = o.topic;
  std::uint64_t late = 0;
  auto failed = [&s](const strata::Error& e) {
    s.errors.fetch_add(1);
    std::lock_guard lock(s.error_mu);
    if (s.first_error.empty()) s.first_error = e.what();
  };
  const std::int64_t start = now_ns();
  const double interval = 1e9 / static_cast<double>(o.rate);
  for (std::uint64_t i = 0; i < o.messages; ++i) {
    const std::int64_t due = start + static_cast<std::int64_t>(static_cast<double>(i) * interval);
    std::int64_t now = now_ns();
    if (now < due) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(due - now));
      now = now_ns();
    }
    if (now - due > kLateNs) ++late;
    std::memcpy(value.data(), &due, sizeof due);
    r.value = value;  // copied into the batch by send()
    producer.send(r, [&s, &failed, due](const RecordMetadata*, const strata::Error* e) {
      if (e) {
        failed(*e);
      } else {
        s.ack.record(now_ns() - due);
      }
    });
  }
  producer.flush();
  return late;
}

}  // namespace

int latency_bench(const cli::Globals& g, const cli::Args& args) {
  const auto parsed = parse_latency(args);
  if (!parsed) return 0;
  const LatencyOptions& o = *parsed;
  std::uint32_t partitions = 0;
  {
    Client admin(client_options(g));
    partitions = ensure_topic(admin, o.topic, o.partitions);
  }
  Shared s;
  std::latch ready(1);
  std::uint64_t late = 0;
  {
    Progress progress("perf latency:", o.messages, [&s] { return s.received.load(std::memory_order_relaxed); });
    run_workers(2, [&](std::uint32_t i) {
      if (i == 0) {
        receive(g.broker, o, partitions, s, ready);
        return;
      }
      ready.wait();
      try {
        late = send(g.broker, o, s);
      } catch (...) {
        s.sender_done_ns.store(now_ns() - kDrainLimitNs);  // the receiver stops at once
        throw;
      }
      s.sender_done_ns.store(now_ns());
    });
  }
  const std::uint64_t received = s.received.load();
  const std::uint64_t errors = s.errors.load();
  if (o.json) {
    JsonObject json;
    json.add("messages", received).add("rate", o.rate);
    add_percentiles(json, &s.latency);
    add_percentiles(json, &s.ack, 1.0, "ack_");
    json.add("late", late).add("errors", errors);
    std::cout << json.str();
  } else {
    std::cout << "perf latency: " << o.messages << " messages of " << o.size << " B at " << o.rate << " msgs/s to "
              << o.topic << " (" << partitions << " partitions, acks=" << acks_name(o.acks) << ", linger "
              << o.linger_ms << " ms)\n";
    std::cout << "  end-to-end latency (scheduled send time to receipt): " << percentiles_text(s.latency) << "\n";
    std::cout << "  produce latency (scheduled send time to acknowledgement): " << percentiles_text(s.ack) << "\n";
    std::cout << "  received " << received << " of " << o.messages << "; late: " << late
              << " sent more than 1 ms after their scheduled time; errors: " << errors << "\n";
  }
  if (errors > 0) std::cerr << "strata: perf latency: " << errors << " messages failed: " << s.first_error << "\n";
  if (received < o.messages) {
    std::cerr << "strata: perf latency: only " << received << " of " << o.messages
              << " messages arrived within 10 s of the last send\n";
  }
  return errors > 0 || received < o.messages ? 1 : 0;
}

}  // namespace strata::perf
