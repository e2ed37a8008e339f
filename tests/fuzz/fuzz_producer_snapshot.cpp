// libFuzzer target: the producer-state snapshot a clean shutdown leaves in
// a partition's clean-shutdown marker (storage/FORMAT.md), read back by the
// next open. Input: u64 log_end, then the snapshot without its checksum
// trailer; the target appends the right XXH3-64 (else the fuzzer would
// never get past it) and also tries the bytes as given. Properties:
//   - ProducerState::decode never reads out of bounds, whatever the bytes;
//   - a state it accepts re-encodes to a snapshot that decodes again, with
//     the same producers, and answers every sequence check the same way.
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/byte_io.h"
#include "storage/producer_state.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using strata::protocol::BatchHeader;
using strata::storage::Offset;
using strata::storage::ProducerState;
using strata::storage::SequenceCheck;

// The verdict for a few batches of producers 0..7 at sequences 0..3.
std::vector<int> verdicts(const ProducerState& state) {
  std::vector<int> out;
  for (std::int64_t id = 0; id < 8; ++id) {
    for (std::int32_t seq = 0; seq < 4; ++seq) {
      BatchHeader h;
      h.producer_id = id;
      h.base_sequence = seq;
      h.record_count = 1;
      const SequenceCheck c = state.check(h);
      out.push_back(static_cast<int>(c.verdict) * 1000 + static_cast<int>(c.original.base.value() % 1000));
    }
  }
  return out;
}

void check(const std::vector<std::uint8_t>& snapshot, Offset log_end) {
  const auto state = ProducerState::decode(snapshot, log_end);
  if (!state) return;
  const std::vector<std::uint8_t> again = state->encode(log_end);
  const auto reread = ProducerState::decode(again, log_end);
  FUZZ_CHECK(reread.has_value());
  FUZZ_CHECK(reread->producers() == state->producers());
  FUZZ_CHECK(verdicts(*reread) == verdicts(*state));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < sizeof(std::uint64_t)) return 0;
  const Offset log_end(strata::protocol::load_le<std::uint64_t>(data));
  std::vector<std::uint8_t> snapshot(data + sizeof(std::uint64_t), data + size);
  check(snapshot, log_end);  // as given: the checksum almost never matches
  const std::uint64_t sum = XXH3_64bits(snapshot.data(), snapshot.size());
  snapshot.resize(snapshot.size() + sizeof sum);
  strata::protocol::store_le(snapshot.data() + snapshot.size() - sizeof sum, sum);
  check(snapshot, log_end);
  return 0;
}
