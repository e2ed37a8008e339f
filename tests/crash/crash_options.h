// Settings of the kill -9 crash test (strata-crash-test), parsed from the
// command line. Every figure that shapes a run is here, so a failing run
// can be repeated exactly from its printed command line and seed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "strata/producer.h"

namespace strata::crash {

struct CrashOptions {
  // durable: every acknowledged message must survive every kill exactly
  // once at its offset. leader: acknowledged messages may be lost (not
  // fsynced), but whatever is served must be intact and contiguous.
  strata::Acks acks = strata::Acks::durable;
  std::uint32_t rounds = 20;
  std::uint64_t seed = 0;  // 0: pick one (printed)
  std::uint32_t producers = 4;
  // 1: one standalone broker. More: a cluster of that many brokers with
  // one etcd; each round kills one of them, picked at random (the
  // controller's broker included).
  std::uint32_t brokers = 1;
  // The faults a round picks from, at random (cluster only for the last
  // two): kill -9 and restart; SIGSTOP, then SIGCONT after up to
  // outage_max_ms (past the lease TTL of 2 s, the others count it gone);
  // a network partition cutting the broker off from everything (etcd,
  // brokers, clients; network namespaces) for up to outage_max_ms.
  bool fault_kill = true;
  bool fault_pause = false;
  bool fault_partition = false;
  std::uint32_t outage_max_ms = 4000;
  std::uint32_t partitions = 4;
  std::uint64_t segment_bytes = 64 * 1024;
  // The broker is killed a uniformly random time in [min, max] after it
  // is ready, then left down for a random time in [0, down_max].
  std::uint32_t kill_min_ms = 50;
  std::uint32_t kill_max_ms = 500;
  std::uint32_t down_max_ms = 150;
  // Unanswered sends per producer thread; send() waits beyond it.
  std::uint32_t max_outstanding = 512;
  // Sends per second per producer thread; 0 = as fast as acks allow.
  std::uint32_t rate = 0;
  // A restart that takes longer fails the test.
  std::uint32_t start_timeout_ms = 30000;
  // Read and check the whole log after every restart, not only at the end.
  bool check_every_round = true;
  // Idempotent producers (the default): a resend must never add a copy, so
  // retry duplicates fail the test. Off: they are allowed and counted.
  bool idempotence = true;
  // On failure the data directory and broker logs are copied here
  // (default: <tmp>/strata-crash-<seed>).
  std::string keep_dir;
};

struct ParsedOptions {
  CrashOptions options;
  std::optional<std::string> error;  // set: print it and exit 2
  bool help = false;                 // set: usage printed, exit 0
};

[[nodiscard]] ParsedOptions parse_crash_options(int argc, char** argv);
[[nodiscard]] std::string crash_usage();
// The command line that repeats a run with these options.
[[nodiscard]] std::string describe(const CrashOptions& o);

}  // namespace strata::crash
