#include "storage/producer_state.h"

#include <xxhash.h>

#include <algorithm>

#include "protocol/byte_writer.h"

namespace strata::storage {

namespace {
constexpr std::uint32_t kMagic = 0x53525053;  // "SPRS" little-endian
constexpr std::uint32_t kVersion = 2;  // 2: the producer epoch

bool takes_part(const protocol::BatchHeader& h) noexcept { return h.producer_id >= 0 && h.base_sequence >= 0; }
}  // namespace

void ProducerState::Entry::push(const ProducerBatch& b) noexcept {
  if (count < kBatchesKept) {
    batches[(oldest + count) % kBatchesKept] = b;
    ++count;
  } else {
    batches[oldest] = b;
    oldest = static_cast<std::uint8_t>((oldest + 1) % kBatchesKept);
  }
}

SequenceCheck ProducerState::check(const protocol::BatchHeader& h) const {
  SequenceCheck out;
  if (!takes_part(h)) return out;
  const auto it = producers_.find(h.producer_id);
  if (it == producers_.end()) return out;
  const Entry& e = it->second;
  if (h.producer_epoch < e.epoch) {
    out.verdict = SequenceCheck::Verdict::fenced;
    return out;
  }
  if (h.producer_epoch > e.epoch) {
    // A new epoch of the id restarts its sequence (Kafka's rule).
    if (h.base_sequence != 0) out.verdict = SequenceCheck::Verdict::out_of_order;
    return out;
  }
  for (std::uint8_t i = 0; i < e.count; ++i) {
    const ProducerBatch& b = e.batches[(e.oldest + i) % kBatchesKept];
    if (b.first_sequence == h.base_sequence && b.record_count == h.record_count) {
      out.verdict = SequenceCheck::Verdict::duplicate;
      out.original = b;
      return out;
    }
  }
  const ProducerBatch& last = e.newest();
  if (h.base_sequence != protocol::next_sequence(last.first_sequence, last.record_count)) {
    out.verdict = SequenceCheck::Verdict::out_of_order;
  }
  return out;
}

void ProducerState::record(const protocol::BatchHeader& h) {
  if (!takes_part(h)) return;
  auto it = producers_.find(h.producer_id);
  if (it == producers_.end()) {
    if (producers_.size() >= kMaxProducers) evict_least_recent();
    it = producers_.emplace(h.producer_id, Entry{}).first;
    it->second.epoch = h.producer_epoch;
  } else if (h.producer_epoch != it->second.epoch) {
    it->second = Entry{};  // a new epoch: the old one's batches no longer dedupe anything
    it->second.epoch = h.producer_epoch;
  }
  it->second.push(ProducerBatch{h.base_sequence, Offset(h.base_offset), h.record_count});
  it->second.last_used = ++appends_;
}

void ProducerState::evict_least_recent() {
  auto victim = std::min_element(producers_.begin(), producers_.end(), [](const auto& a, const auto& b) {
    return a.second.last_used < b.second.last_used;
  });
  if (victim != producers_.end()) producers_.erase(victim);
}

std::vector<std::uint8_t> ProducerState::encode(Offset log_end) const {
  protocol::ByteWriter w;
  w.fixed(kMagic);
  w.fixed(kVersion);
  w.fixed(log_end.value());
  w.fixed(appends_);
  w.fixed(static_cast<std::uint32_t>(producers_.size()));
  for (const auto& [id, e] : producers_) {
    w.fixed(id);
    w.fixed(e.epoch);
    w.fixed(e.last_used);
    w.fixed(e.count);
    for (std::uint8_t i = 0; i < e.count; ++i) {
      const ProducerBatch& b = e.batches[(e.oldest + i) % kBatchesKept];
      w.fixed(b.first_sequence);
      w.fixed(b.base.value());
      w.fixed(b.record_count);
    }
  }
  std::vector<std::uint8_t> out = w.take();
  const std::uint64_t sum = XXH3_64bits(out.data(), out.size());
  out.resize(out.size() + sizeof sum);
  protocol::store_le(out.data() + out.size() - sizeof sum, sum);
  return out;
}

std::optional<ProducerState> ProducerState::decode(protocol::Bytes data, Offset log_end) {
  if (data.size() < sizeof(std::uint64_t)) return std::nullopt;
  const std::size_t body = data.size() - sizeof(std::uint64_t);
  if (protocol::load_le<std::uint64_t>(data.data() + body) != XXH3_64bits(data.data(), body)) return std::nullopt;
  protocol::ByteReader r(data.first(body));
  if (r.fixed<std::uint32_t>() != kMagic || r.fixed<std::uint32_t>() != kVersion) return std::nullopt;
  if (r.fixed<std::uint64_t>() != log_end.value()) return std::nullopt;  // made for another log
  ProducerState state;
  state.appends_ = r.fixed<std::uint64_t>();
  const auto n = r.fixed<std::uint32_t>();
  if (!r.ok() || n > kMaxProducers) return std::nullopt;
  for (std::uint32_t k = 0; k < n; ++k) {
    const auto id = r.fixed<std::int64_t>();
    Entry e;
    e.epoch = r.fixed<std::int16_t>();
    e.last_used = r.fixed<std::uint64_t>();
    const auto count = r.fixed<std::uint8_t>();
    if (!r.ok() || id < 0 || count == 0 || count > kBatchesKept) return std::nullopt;
    for (std::uint8_t i = 0; i < count; ++i) {
      ProducerBatch b;
      b.first_sequence = r.fixed<std::int32_t>();
      b.base = Offset(r.fixed<std::uint64_t>());
      b.record_count = r.fixed<std::uint32_t>();
      if (!r.ok() || b.first_sequence < 0 || b.record_count == 0 || b.base.value() >= log_end.value()) {
        return std::nullopt;
      }
      e.push(b);
    }
    if (!state.producers_.emplace(id, e).second) return std::nullopt;
  }
  if (!r.ok() || r.remaining() != 0) return std::nullopt;
  return state;
}

}  // namespace strata::storage
