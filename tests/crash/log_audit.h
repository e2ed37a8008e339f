// The check of the crash test: the records read back from every partition
// (from offset 0 to the log end) against the ledgers of what each producer
// sent and what was acknowledged.
//
// What counts as what (see the summary printed by strata-crash-test):
// - every record read must be intact and ours: its key names a message
//   some producer sent, its value is exactly that message's value, it sits
//   in the partition its key hashes to, and offsets run 0, 1, 2, ... with
//   no gap; a batch that fails validation is a read error;
// - an acknowledged message must be at its acknowledged (partition,
//   offset): absent everywhere = lost, elsewhere only = misplaced;
// - a copy of an acknowledged message at a LOWER offset of the same
//   partition is a retry duplicate: an earlier attempt that the broker
//   wrote but could not acknowledge before it died, re-sent by the
//   producer. A violation for idempotent producers (the broker must
//   recognise the resend); allowed and counted apart without idempotence.
//   Any other extra copy (a higher offset, another partition) is a
//   duplicate and a violation: nothing re-sends an acknowledged batch;
// - a send that was never acknowledged may be absent or present, once
//   with idempotence, else any number of times (one per attempt), but
//   every copy must be intact.
// With acks=leader an acknowledged message may be lost or misplaced (it
// was never fsynced); everything else still holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "strata/consumer.h"
#include "strata/producer.h"
#include "tests/crash/send_ledger.h"

namespace strata::crash {

struct AuditResult {
  std::uint64_t records_read = 0;
  std::uint64_t acknowledged = 0;
  std::uint64_t lost = 0;
  std::uint64_t misplaced = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t retry_duplicates = 0;
  std::uint64_t unacknowledged = 0;          // sends pending or failed
  std::uint64_t unacknowledged_present = 0;  // of those, found at least once
  std::uint64_t unacknowledged_copies = 0;   // copies beyond the first
  std::uint64_t gaps = 0;                    // breaks in 0, 1, 2, ...
  std::uint64_t foreign = 0;                 // a key no producer sent
  std::uint64_t corrupt = 0;                 // right key, wrong value
  std::uint64_t misrouted = 0;               // not in its key's partition
  std::uint64_t bad_acks = 0;                // an ack without an offset
  std::uint64_t read_errors = 0;             // validation failures, unreadable log
  std::vector<std::string> examples;         // the first few violations, described

  // Whether anything happened that must not, for this acknowledgement
  // level and kind of producer.
  [[nodiscard]] bool failed(strata::Acks acks, bool idempotent) const;
  // "N acknowledged, N lost, N duplicated, N misplaced; ..." (every count).
  [[nodiscard]] std::string counts() const;
  void note(const std::string& example);
};

// Checks `records` (read from partitions 0..partitions-1 of the topic, in
// offset order per partition) against ledgers[producer] = that producer's
// sends. REQUIRES: the ledgers were snapshotted after `records` were read
// (so every record read was sent), and the acknowledgements in them that
// must be found were given before the read began.
[[nodiscard]] AuditResult audit_log(const std::vector<ConsumerRecord>& records, std::uint32_t partitions,
                                    const std::vector<std::vector<SendEntry>>& ledgers,
                                    const std::vector<std::vector<SendEntry>>& acked_before_read);

}  // namespace strata::crash
