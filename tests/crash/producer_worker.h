// One producer thread of the crash test: its own Client and Producer, and
// a loop that sends message after message (keys from message_scheme.h,
// routed by key) while recording every send and its answer in a ledger.
//
// Lifetime: construct while the broker is up; the Client reconnects by
// itself after each kill. finish() stops the loop and flushes, so every
// send ends acknowledged or failed. Threads: the owner calls finish() and
// reads the ledger; the loop runs on its own thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "strata/client.h"
#include "tests/crash/crash_options.h"
#include "tests/crash/send_ledger.h"
#include "tests/integration/client_test_util.h"

namespace strata::crash {

class ProducerWorker {
 public:
  ProducerWorker(std::uint32_t id, const std::string& address, const std::string& topic, const CrashOptions& options);
  ~ProducerWorker();
  ProducerWorker(const ProducerWorker&) = delete;
  ProducerWorker& operator=(const ProducerWorker&) = delete;

  // Stops sending and waits until every send is answered. REQUIRES: the
  // broker is up (else the flush lasts until the retries run out).
  void finish();
  // While paused the loop sends nothing new (sends in flight go on), so a
  // check of the log does not race an ever longer round of production.
  void pause(bool paused) noexcept { paused_ = paused; }

  [[nodiscard]] std::uint32_t id() const noexcept { return id_; }
  [[nodiscard]] const SendLedger& ledger() const noexcept { return ledger_; }
  // send() calls that threw at once (the record never reached the Producer).
  [[nodiscard]] std::uint64_t rejected_sends() const noexcept { return rejected_.load(); }
  // An unexpected exception that ended the loop, or empty.
  [[nodiscard]] std::string error() const;

 private:
  void run();

  std::uint32_t id_;
  std::string topic_;
  CrashOptions options_;
  Client client_;
  std::unique_ptr<it::ScopedProducer> producer_;
  SendLedger ledger_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> paused_{false};
  std::atomic<std::uint64_t> rejected_{0};
  mutable std::mutex error_mu_;
  std::string error_;
  std::thread thread_;
};

}  // namespace strata::crash
