#include "tests/crash/log_audit.h"

#include <map>
#include <unordered_map>

#include "tests/crash/message_scheme.h"
#include "tests/integration/client_test_util.h"

namespace strata::crash {

namespace {

constexpr std::size_t kMaxExamples = 12;

struct Location {
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
};

std::string where(std::uint32_t partition, std::uint64_t offset) {
  return std::to_string(partition) + "@" + std::to_string(offset);
}

std::uint64_t packed(MessageId id) { return (static_cast<std::uint64_t>(id.producer) << 48) | id.seq; }

}  // namespace

bool AuditResult::failed(strata::Acks acks, bool idempotent) const {
  const bool durable_loss = acks == strata::Acks::durable && (lost > 0 || misplaced > 0);
  const bool resent_copies = idempotent && (retry_duplicates > 0 || unacknowledged_copies > 0);
  return durable_loss || resent_copies || duplicated > 0 || gaps > 0 || foreign > 0 || corrupt > 0 || misrouted > 0 ||
         bad_acks > 0 || read_errors > 0;
}

std::string AuditResult::counts() const {
  return std::to_string(acknowledged) + " acknowledged, " + std::to_string(lost) + " lost, " +
         std::to_string(duplicated) + " duplicated, " + std::to_string(misplaced) + " misplaced; " +
         std::to_string(retry_duplicates) + " retry duplicates; " + std::to_string(unacknowledged) +
         " unacknowledged sends (" + std::to_string(unacknowledged_present) + " present, " +
         std::to_string(unacknowledged_copies) + " extra copies); " + std::to_string(records_read) +
         " records read: " + std::to_string(gaps) + " gaps, " + std::to_string(corrupt) + " corrupt, " +
         std::to_string(foreign) + " foreign, " + std::to_string(misrouted) + " misrouted, " +
         std::to_string(bad_acks) + " bad acks, " + std::to_string(read_errors) + " read errors";
}

void AuditResult::note(const std::string& example) {
  if (examples.size() < kMaxExamples) examples.push_back(example);
}

AuditResult audit_log(const std::vector<ConsumerRecord>& records, std::uint32_t partitions,
                      const std::vector<std::vector<SendEntry>>& ledgers,
                      const std::vector<std::vector<SendEntry>>& acked_before_read) {
  AuditResult a;
  a.records_read = records.size();
  // Pass 1: every record on its own, and where each message was found.
  std::vector<std::uint64_t> next_offset(partitions, 0);
  std::map<std::pair<std::uint32_t, std::uint64_t>, std::uint64_t> at;  // location -> packed id
  std::unordered_map<std::uint64_t, std::vector<Location>> found;
  for (const auto& r : records) {
    const std::string here = where(r.partition, r.offset);
    if (r.partition >= partitions) {
      ++a.misrouted;
      a.note("record from partition " + here + " of a " + std::to_string(partitions) + "-partition topic");
      continue;
    }
    if (r.offset != next_offset[r.partition]) {
      ++a.gaps;
      a.note("offsets jump from " + std::to_string(next_offset[r.partition]) + " to " + here);
    }
    next_offset[r.partition] = r.offset + 1;
    const auto id = r.key ? parse_message_key(*r.key) : std::nullopt;
    if (!id || id->producer >= ledgers.size() || id->seq >= ledgers[id->producer].size()) {
      ++a.foreign;
      a.note("record at " + here + " has key '" + it::printable(r.key.value_or("(null)")) +
             "', which no producer sent");
      continue;
    }
    if (!r.value || *r.value != message_value(*r.key)) {
      ++a.corrupt;
      a.note("record " + *r.key + " at " + here + " has a value of " +
             (r.value ? std::to_string(r.value->size()) + " bytes" : std::string("null")) + " that is not its own (" +
             std::to_string(message_value(*r.key).size()) + " bytes)");
      continue;
    }
    const auto expected = strata::partition_for_key(*r.key, partitions);
    if (expected != r.partition) {
      ++a.misrouted;
      a.note("record " + *r.key + " at " + here + " belongs in partition " + std::to_string(expected));
    }
    at[{r.partition, r.offset}] = packed(*id);
    found[packed(*id)].push_back({r.partition, r.offset});
  }
  // Pass 2: every send against what was found.
  for (std::uint32_t p = 0; p < ledgers.size(); ++p) {
    const auto& after = ledgers[p];
    const auto& before = acked_before_read[p];
    for (std::uint64_t seq = 0; seq < after.size(); ++seq) {
      const MessageId id{p, seq};
      const auto hit = found.find(packed(id));
      const std::vector<Location> none;
      const auto& copies = hit == found.end() ? none : hit->second;
      const bool acked = seq < before.size() && before[seq].state == SendState::acked;
      if (!acked) {
        ++a.unacknowledged;
        if (!copies.empty()) ++a.unacknowledged_present;
        if (copies.size() > 1) a.unacknowledged_copies += copies.size() - 1;
        continue;
      }
      ++a.acknowledged;
      const SendEntry& ack = before[seq];
      if (ack.offset < 0) {
        ++a.bad_acks;
        a.note(message_key(id) + " was acknowledged without an offset");
        continue;
      }
      const auto offset = static_cast<std::uint64_t>(ack.offset);
      const auto slot = at.find({ack.partition, offset});
      if (slot == at.end() || slot->second != packed(id)) {
        copies.empty() ? ++a.lost : ++a.misplaced;
        std::string seen;
        for (const auto& c : copies) seen += " " + where(c.partition, c.offset);
        a.note(message_key(id) + " acknowledged at " + where(ack.partition, offset) +
               (copies.empty() ? " is missing" : " is only at" + seen) +
               (slot == at.end() ? " (no valid record there)" : " (another record is there)"));
        continue;
      }
      for (const auto& c : copies) {
        if (c.partition == ack.partition && c.offset == offset) continue;
        if (c.partition == ack.partition && c.offset < offset) {
          ++a.retry_duplicates;
        } else {
          ++a.duplicated;
          a.note(message_key(id) + " acknowledged at " + where(ack.partition, offset) + " is also at " +
                 where(c.partition, c.offset));
        }
      }
    }
  }
  return a;
}

}  // namespace strata::crash
