// Full validation of an untrusted record batch: framing, header, checksum and
// every record. This is the gate every batch passes before the broker stores
// it and before recovery accepts it from disk.
#pragma once

#include <cstddef>

#include "protocol/record_batch.h"

namespace strata::protocol {

// Checks `data` is exactly one well-formed batch of at most max_batch_bytes
// in total. Order of checks: size limit before checksum, checksum before
// records, so a lying length is never followed. Returns the decoded header.
[[nodiscard]] Result<BatchHeader> validate_batch(Bytes data, std::size_t max_batch_bytes) noexcept;

// A batch that passed validate_batch, with mutable bytes so the log can stamp
// its base offset. Only validate_for_append makes one.
class ValidatedBatch {
 public:
  [[nodiscard]] MutableBytes bytes() const noexcept { return bytes_; }
  [[nodiscard]] const BatchHeader& header() const noexcept { return header_; }

 private:
  friend Result<ValidatedBatch> validate_for_append(MutableBytes, std::size_t) noexcept;
  ValidatedBatch(MutableBytes bytes, const BatchHeader& header) noexcept : bytes_(bytes), header_(header) {}
  MutableBytes bytes_;
  BatchHeader header_;
};

// Lifetime: the result views `data`; the caller keeps the buffer alive.
[[nodiscard]] Result<ValidatedBatch> validate_for_append(MutableBytes data, std::size_t max_batch_bytes) noexcept;

}  // namespace strata::protocol
