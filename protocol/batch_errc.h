// Why a record batch was refused. One value per distinct defect so that a
// producer, a log scanner and a fuzz test can each tell exactly what was wrong.
#pragma once

#include <system_error>

namespace strata::protocol {

enum class BatchErrc {
  truncated = 1,           // fewer bytes than the header or the declared length
  invalid_length,          // declared length smaller than a header, or not the bytes given
  too_large,               // declared size above the limit (checked before reading on)
  unsupported_version,     // magic byte is not a format this build reads
  unsupported_attributes,  // attribute bits strata does not know
  checksum_mismatch,       // CRC-32C over the checksummed bytes differs
  empty_batch,             // record count is zero
  record_count_mismatch,   // records found differ from the header's count
  malformed_record,        // a record's fields overrun it, or a varint is bad
  offset_delta_mismatch,   // record i does not carry offset delta i
  timestamp_mismatch,      // max timestamp is not the largest record timestamp
  unsupported_transactional,  // transactional or control batch (no transactions yet)
  unsupported_compression,    // codec bits name no codec (5-7)
  last_offset_delta_mismatch, // produced batch whose lastOffsetDelta is not recordCount - 1
  decompression_failed,       // the records do not decompress with the batch's codec
  decompressed_too_large,     // decompressed records pass kMaxDecompressedBytes
  offset_overflow,            // stored batch: baseOffset + lastOffsetDelta wraps past 2^64 - 1
};

[[nodiscard]] const std::error_category& batch_category() noexcept;

[[nodiscard]] inline std::error_code make_error_code(BatchErrc e) noexcept {
  return {static_cast<int>(e), batch_category()};
}

}  // namespace strata::protocol

template <>
struct std::is_error_code_enum<strata::protocol::BatchErrc> : std::true_type {};
