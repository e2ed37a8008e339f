// Errors the storage layer itself defines. I/O failures keep their system
// error codes (ENOSPC, EIO, ...) so a caller can tell "disk full" from
// "corrupt data" from "no such offset" (DESIGN decision 9).
#pragma once

#include <cerrno>
#include <system_error>

namespace strata::storage {

enum class StorageErrc {
  offset_out_of_range = 1,  // below the log start or above the log end
  corruption,               // bytes on disk fail validation
  read_only,                // an earlier fsync failed; see read_only_reason()
  invalid_config,           // a LogConfig value outside its range
  closed,                   // the log was closed
  out_of_order_sequence,    // a producer's batch skips sequence numbers
  producer_fenced,          // a batch from an older epoch of a producer id
  unsupported_data_format,  // the data directory is not of a format this build reads
  invalid_timestamp,        // a record's timestamp is outside message.timestamp.*.max.ms
  data_dir_locked,          // another process holds the data directory's lock
  replica_offset_mismatch,  // a replicated batch does not start at the log end (gap or overlap)
  leader_epoch_regression,  // a batch or leader epoch older than the partition's latest epoch
  truncated,                // the offsets waited for were removed by a truncation
  sync_in_flight,           // a truncation while a group-commit sync is running
};

[[nodiscard]] const std::error_category& storage_category() noexcept;

[[nodiscard]] inline std::error_code make_error_code(StorageErrc e) noexcept {
  return {static_cast<int>(e), storage_category()};
}

// A system error that means the disk (or the quota) is full: ENOSPC or
// EDQUOT, and only in the system/generic categories, so another module's
// enum value that happens to equal EDQUOT never counts.
[[nodiscard]] inline bool is_disk_full(std::error_code ec) noexcept {
  const bool system = ec.category() == std::system_category() || ec.category() == std::generic_category();
  return system && (ec.value() == ENOSPC || ec.value() == EDQUOT);
}

// A system error that means the process (EMFILE) or the system (ENFILE) is
// out of open files: no disk failed, and nothing was written or lost.
[[nodiscard]] inline bool is_out_of_descriptors(std::error_code ec) noexcept {
  const bool system = ec.category() == std::system_category() || ec.category() == std::generic_category();
  return system && (ec.value() == EMFILE || ec.value() == ENFILE);
}

}  // namespace strata::storage

template <>
struct std::is_error_code_enum<strata::storage::StorageErrc> : std::true_type {};
