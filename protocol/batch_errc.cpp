#include "protocol/batch_errc.h"

#include <string>

namespace strata::protocol {
namespace {

class BatchCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "strata.batch"; }
  std::string message(int ev) const override {
    switch (static_cast<BatchErrc>(ev)) {
      case BatchErrc::truncated: return "record batch is truncated";
      case BatchErrc::invalid_length: return "record batch length field is inconsistent with its bytes";
      case BatchErrc::too_large: return "record batch is larger than the allowed maximum";
      case BatchErrc::unsupported_version: return "record batch format version is not supported";
      case BatchErrc::unsupported_attributes: return "record batch has attribute bits strata does not support";
      case BatchErrc::checksum_mismatch: return "record batch CRC-32C does not match its contents";
      case BatchErrc::empty_batch: return "record batch holds no records";
      case BatchErrc::record_count_mismatch: return "record batch record count does not match its records";
      case BatchErrc::malformed_record: return "record batch contains a malformed record";
      case BatchErrc::offset_delta_mismatch: return "record offset deltas are not 0,1,2,... (or, stored, not increasing within lastOffsetDelta)";
      case BatchErrc::timestamp_mismatch: return "record batch max timestamp does not match its records";
      case BatchErrc::unsupported_transactional:
        return "transactional and control batches are not supported yet: produce without transactions";
      case BatchErrc::unsupported_compression: return "record batch names a compression codec that does not exist";
      case BatchErrc::last_offset_delta_mismatch:
        return "record batch lastOffsetDelta is not recordCount - 1, as a produced batch must have";
      case BatchErrc::decompression_failed: return "record batch records do not decompress with the batch's codec";
      case BatchErrc::decompressed_too_large:
        return "record batch decompresses to more than 128 MiB (a decompression bomb?): send smaller batches";
      case BatchErrc::offset_overflow:
        return "record batch offsets pass the largest offset (2^64 - 1): baseOffset + lastOffsetDelta wraps";
    }
    return "unknown record batch error";
  }
};

}  // namespace

const std::error_category& batch_category() noexcept {
  static const BatchCategory category;
  return category;
}

}  // namespace strata::protocol
