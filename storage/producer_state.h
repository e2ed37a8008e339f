// A partition's idempotent-producer state (protocol/PROTOCOL.md, Produce): for each
// producer id, the last few batches it appended, so that a batch it sends
// again (a retry after a lost reply or a broker restart) is answered with
// the offsets it got the first time instead of being appended twice, and a
// batch that skips sequence numbers (an earlier one is missing) is refused.
//
// A batch takes part when its producer_id and base_sequence are both >= 0.
// Each producer id has an epoch (from InitProducerId): a batch of an older
// epoch than the partition has seen is fenced (a restarted producer took
// over); a newer epoch starts the id's sequence afresh at 0.
// Sequence numbers count records per producer and partition and wrap from
// INT32_MAX to 0. A producer id the partition has not seen (new, or evicted
// as the least recently used beyond kMaxProducers) is accepted at any
// sequence.
//
// Threads: owned by its PartitionLog, on the owner's thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "protocol/byte_io.h"
#include "protocol/record_batch.h"
#include "storage/types.h"

namespace strata::storage {

struct ProducerBatch {
  std::int32_t first_sequence = 0;
  Offset base;
  std::uint32_t record_count = 0;

  [[nodiscard]] Offset last() const noexcept { return base + (record_count - 1); }
};

struct SequenceCheck {
  enum class Verdict { append, duplicate, out_of_order, fenced };
  Verdict verdict = Verdict::append;
  ProducerBatch original;  // the earlier append, for duplicate
};

class ProducerState {
 public:
  // Batches remembered per producer: the client's limit of batches in
  // flight per partition (ProducerOptions::max_in_flight_per_partition).
  static constexpr std::size_t kBatchesKept = protocol::kProducerBatchesKept;
  static constexpr std::size_t kMaxProducers = 1024;

  // What append should do with this (validated) batch.
  [[nodiscard]] SequenceCheck check(const protocol::BatchHeader& header) const;
  // Notes a batch appended at header.base_offset; no-op for a batch that
  // does not take part. Also used to rebuild the state from the log.
  void record(const protocol::BatchHeader& header);

  [[nodiscard]] std::size_t producers() const noexcept { return producers_.size(); }
  void clear() noexcept { producers_.clear(); }

  // The snapshot kept in the clean-shutdown marker: valid for a log ending
  // at log_end. decode() returns nullopt for anything it cannot trust
  // (size, magic, checksum, counts), never reading past data.
  [[nodiscard]] std::vector<std::uint8_t> encode(Offset log_end) const;
  [[nodiscard]] static std::optional<ProducerState> decode(protocol::Bytes data, Offset log_end);

 private:
  struct Entry {
    std::array<ProducerBatch, kBatchesKept> batches{};  // ring, oldest first from `oldest`
    std::uint8_t count = 0;
    std::uint8_t oldest = 0;
    std::uint64_t last_used = 0;  // ordinal of its last append, for eviction
    std::int16_t epoch = 0;

    [[nodiscard]] const ProducerBatch& newest() const noexcept {
      return batches[(oldest + count - 1) % kBatchesKept];
    }
    void push(const ProducerBatch& b) noexcept;
  };
  void evict_least_recent();

  std::unordered_map<std::int64_t, Entry> producers_;
  std::uint64_t appends_ = 0;
};

}  // namespace strata::storage
