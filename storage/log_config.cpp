#include "storage/log_config.h"

#include "storage/storage_errc.h"

namespace strata::storage {

std::error_code LogConfig::validate() const noexcept {
  const bool ok = segment_bytes >= 1 && segment_bytes <= kMaxSegmentBytes &&
                  (segment_ms >= 1 || segment_ms == kDisabled) && retention_bytes >= kDisabled &&
                  retention_ms >= kDisabled && index_interval_bytes >= 1 &&
                  pagecache_keep_bytes >= kDisabled && segment_jitter_ms >= 0 &&
                  (timestamp_type == TimestampType::create_time || timestamp_type == TimestampType::log_append_time) &&
                  timestamp_before_max_ms >= kDisabled && timestamp_after_max_ms >= kDisabled;
  return ok ? std::error_code{} : make_error_code(StorageErrc::invalid_config);
}

}  // namespace strata::storage
