// One connection's bound on what its client makes the broker hold: requests
// read but not yet answered (a count), and bytes of those requests plus the
// replies made for them but not yet written (max.inflight.requests.per.connection
// and max.inflight.bytes.per.connection). A client that pipelines requests
// and never reads its replies is therefore stopped by its own budget: the
// connection stops reading until it drains (the replies are written).
//
// Each request is charged its frame bytes plus kRequestOverhead (the slot,
// the response's vectors and their allocator headers), so a flood of tiny
// requests is bounded by bytes as well as by count. Every charge is also
// made to the broker-wide InflightBudget; the destructor returns whatever is
// still charged, so a connection closed with replies pending gives it back,
// and after a connection that held kTrimAfter or more it hands the freed
// heap back to the system (malloc_trim), so one connection's burst does not
// stay in the broker's RSS.
//
// Threads: the connection's shard only (the shared InflightBudget is atomic).
#pragma once

#include <cstdint>

#include "broker/net/inflight_budget.h"

namespace strata::broker {

class ConnectionBudget {
 public:
  // Heap bytes a pending request costs beyond its frame and reply bytes
  // (measured: about 300 with glibc; rounded up).
  static constexpr std::uint64_t kRequestOverhead = 512;
  static constexpr std::uint64_t kTrimAfter = 8u << 20;

  struct Limits {
    std::uint64_t bytes = 0;
    std::uint32_t requests = 0;
  };
  // Why the reader must wait before reading another request.
  enum class Pause { none, connection, broker };

  ConnectionBudget(Limits limits, InflightBudget& broker) noexcept : limits_(limits), broker_(broker) {}
  ~ConnectionBudget();
  ConnectionBudget(const ConnectionBudget&) = delete;
  ConnectionBudget& operator=(const ConnectionBudget&) = delete;

  // A request of frame_bytes was read; returns the bytes charged for it.
  std::uint64_t add_request(std::uint64_t frame_bytes) noexcept;
  // Its reply holds reply_bytes in memory until written.
  void add_reply(std::uint64_t reply_bytes) noexcept;
  // The reply was written: returns what add_request and add_reply charged
  // for it (charged = their sum).
  void finish(std::uint64_t charged) noexcept;
  // The connection closed with replies pending: returns every charge.
  // Later finish() calls are not allowed.
  void abandon() noexcept;

  // next_frame: the size of the request about to be read, or 0 before its
  // size is known. While the broker-wide budget is spent, a connection with
  // nothing pending may still read one request of up to kSmallRequest bytes
  // (a fetch, a metadata call), so clients that hold the budget cannot stop
  // every other client; larger requests wait.
  [[nodiscard]] Pause pause(std::uint64_t next_frame = 0) const noexcept;
  static constexpr std::uint64_t kSmallRequest = 16 * 1024;
  [[nodiscard]] std::uint64_t bytes() const noexcept { return bytes_; }
  [[nodiscard]] std::uint32_t requests() const noexcept { return requests_; }
  // The most bytes this connection held at once (for returning memory).
  [[nodiscard]] std::uint64_t peak_bytes() const noexcept { return peak_; }

 private:
  void charge(std::uint64_t bytes) noexcept;

  const Limits limits_;
  InflightBudget& broker_;
  std::uint64_t bytes_ = 0;
  std::uint64_t peak_ = 0;
  std::uint32_t requests_ = 0;
};

}  // namespace strata::broker
