#include "tests/crash/producer_worker.h"

#include <algorithm>
#include <chrono>

#include "tests/crash/message_scheme.h"

namespace strata::crash {

namespace {

using namespace std::chrono_literals;

ClientOptions client_options(std::uint32_t id, const std::string& address) {
  ClientOptions o;
  o.broker = address;
  o.client_id = "crash-p" + std::to_string(id);
  o.request_timeout_ms = 10000;
  o.connect_timeout_ms = 2000;
  return o;
}

ProducerOptions producer_options(const CrashOptions& options) {
  ProducerOptions o;
  o.acks = options.acks;
  o.linger_ms = 2;
  o.batch_bytes = 16 * 1024;  // several batches per segment
  o.max_in_flight = 8;
  // The defaults ride out a kill and restart: retries until the delivery
  // timeout (120 s), which is far longer than down_max_ms plus recovery.
  o.retry_backoff_ms = 50;
  o.idempotence = options.idempotence;
  return o;
}

}  // namespace

ProducerWorker::ProducerWorker(std::uint32_t id, const std::string& address, const std::string& topic,
                               const CrashOptions& options)
    : id_(id),
      topic_(topic),
      options_(options),
      client_(client_options(id, address)),
      producer_(std::make_unique<it::ScopedProducer>(client_, producer_options(options))),
      thread_([this] { run(); }) {}

ProducerWorker::~ProducerWorker() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  producer_.reset();  // flushes before the Client goes
}

void ProducerWorker::finish() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  (*producer_)->flush();
}

std::string ProducerWorker::error() const {
  std::lock_guard lock(error_mu_);
  return error_;
}

void ProducerWorker::run() {
  // With --rate, sends are paced one every 1/rate s; time spent blocked
  // (the broker down, a full window) is not made up for with a burst.
  auto next_due = std::chrono::steady_clock::now();
  const auto gap = std::chrono::nanoseconds(options_.rate > 0 ? 1'000'000'000 / options_.rate : 0);
  try {
    while (!stop_) {
      if (paused_) {
        std::this_thread::sleep_for(5ms);
        next_due = std::chrono::steady_clock::now();
        continue;
      }
      if (!ledger_.wait_outstanding_below(options_.max_outstanding, 100ms)) continue;
      if (options_.rate > 0) {
        const auto now = std::chrono::steady_clock::now();
        if (next_due > now) {
          std::this_thread::sleep_until(std::min(next_due, now + 100ms));
          continue;
        }
        next_due = std::max(next_due, now - 20ms) + gap;
      }
      const std::uint64_t seq = ledger_.add();
      const std::string key = message_key({id_, seq});
      const std::string value = message_value(key);
      ProducerRecord record;
      record.topic = topic_;
      record.key = key;
      record.value = value;
      try {
        (*producer_)->send(record, [this, seq](const RecordMetadata* m, const strata::Error* e) {
          if (e != nullptr) {
            ledger_.failed(seq);
          } else {
            ledger_.acked(seq, m->partition, m->offset);
          }
        });
      } catch (const strata::Error&) {
        // e.g. a partition-count refresh while the broker is down.
        ledger_.failed(seq);
        ++rejected_;
        std::this_thread::sleep_for(20ms);
      }
    }
  } catch (const std::exception& e) {
    std::lock_guard lock(error_mu_);
    error_ = e.what();
  }
}

}  // namespace strata::crash
