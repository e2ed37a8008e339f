// The structural check of a batch's records, shared by the plain path (a
// ByteReader over the batch) and the compressed one (a DecompressedReader
// pulling from the codec), so both apply exactly the same rules. It never
// keeps a record: a compressed batch is checked as a stream.
#pragma once

#include <cstdint>
#include <limits>
#include <system_error>

#include "protocol/batch_errc.h"
#include "protocol/record_batch.h"

namespace strata::protocol {

// What the records of one batch added up to.
struct RecordTally {
  std::uint32_t count = 0;
  std::int64_t last_delta = -1;
  std::int64_t max_timestamp = std::numeric_limits<std::int64_t>::min();
  std::int64_t min_timestamp = std::numeric_limits<std::int64_t>::max();
};

// Which offset rule applies: a produced batch numbers its records
// 0,1,2,...; a stored one may have gaps (compaction) within lastOffsetDelta.
enum class OffsetRule { dense, increasing };

// Reads one record from `in` and adds it to `tally`. In: ok(), consumed(),
// u8(), varint(), skip(n) with ByteReader's failure semantics.
template <class In>
[[nodiscard]] std::error_code check_record(In& in, const BatchHeader& h, OffsetRule rule, RecordTally& tally) {
  const std::int64_t length = in.varint();
  if (!in.ok() || length < 0 || length > std::numeric_limits<std::int32_t>::max()) return BatchErrc::malformed_record;
  const std::uint64_t end = in.consumed() + static_cast<std::uint64_t>(length);
  auto skip_nullable = [&in](std::int64_t min) {
    const std::int64_t n = in.varint();
    if (n < min) return false;
    if (n > 0) in.skip(static_cast<std::size_t>(n));
    return in.ok();
  };
  (void)in.u8();  // record attributes: unused
  const std::int64_t ts_delta = in.varint();
  const std::int64_t offset_delta = in.varint();
  bool ok = in.ok() && skip_nullable(-1) && skip_nullable(-1);
  const std::int64_t headers = ok ? in.varint() : -1;
  ok = ok && headers >= 0;
  std::int64_t seen = 0;  // a lying count stops at the record's end, not after 2^63 steps
  for (; ok && seen < headers && in.consumed() < end; ++seen) ok = skip_nullable(0) && skip_nullable(-1);
  if (!ok || !in.ok() || seen != headers || in.consumed() != end) return BatchErrc::malformed_record;

  const bool offset_ok = rule == OffsetRule::dense
                             ? offset_delta == static_cast<std::int64_t>(tally.count)
                             : offset_delta > tally.last_delta && offset_delta <= h.last_offset_delta;
  if (!offset_ok) return BatchErrc::offset_delta_mismatch;
  tally.last_delta = offset_delta;
  if (++tally.count > h.record_count) return BatchErrc::record_count_mismatch;
  const auto ts = static_cast<std::int64_t>(static_cast<std::uint64_t>(h.base_timestamp) +
                                            static_cast<std::uint64_t>(ts_delta));
  if (ts > tally.max_timestamp) tally.max_timestamp = ts;
  if (ts < tally.min_timestamp) tally.min_timestamp = ts;
  return {};
}

// Checks every record until `in` ends; then the count must match.
template <class In>
[[nodiscard]] std::error_code check_records(In& in, const BatchHeader& h, OffsetRule rule, RecordTally& tally) {
  while (!in.at_end()) {
    if (auto ec = check_record(in, h, rule, tally)) {
      if constexpr (requires { in.error(); }) {
        if (in.error()) return in.error();  // the codec's or the bound's, not the parser's symptom
      }
      return ec;
    }
  }
  if constexpr (requires { in.error(); }) {
    if (in.error()) return in.error();  // at_end() also ends a failed stream
  }
  if (tally.count != h.record_count) return BatchErrc::record_count_mismatch;
  return {};
}

}  // namespace strata::protocol
