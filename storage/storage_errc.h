// Errors the storage layer itself defines. I/O failures keep their system
// error codes (ENOSPC, EIO, ...) so a caller can tell "disk full" from
// "corrupt data" from "no such offset" (DESIGN decision 9).
#pragma once

#include <system_error>

namespace strata::storage {

enum class StorageErrc {
  offset_out_of_range = 1,  // below the log start or above the log end
  corruption,               // bytes on disk fail validation
  read_only,                // an earlier fsync failed; see read_only_reason()
  invalid_config,           // a LogConfig value outside its range
  closed,                   // the log was closed
};

[[nodiscard]] const std::error_category& storage_category() noexcept;

[[nodiscard]] inline std::error_code make_error_code(StorageErrc e) noexcept {
  return {static_cast<int>(e), storage_category()};
}

}  // namespace strata::storage

template <>
struct std::is_error_code_enum<strata::storage::StorageErrc> : std::true_type {};
