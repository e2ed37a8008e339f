// to_wire_error: running out of descriptors is TOO_MANY_OPEN_FILES with a
// message naming the limit, never STORAGE_ERROR ("check the disk").
#include <doctest/doctest.h>

#include "broker/core/error_mapping.h"
#include "storage/storage_errc.h"

namespace strata::broker {

TEST_CASE("error mapping: EMFILE and ENFILE are TOO_MANY_OPEN_FILES, not a disk failure") {
  for (const int e : {EMFILE, ENFILE}) {
    CAPTURE(e);
    const WireError w = to_wire_error(std::error_code(e, std::system_category()));
    CHECK(w.code == protocol::ErrorCode::too_many_open_files);
    CHECK(w.message.find("not out of disk") != std::string::npos);
    CHECK(w.message.find("LimitNOFILE=") != std::string::npos);
  }
  CHECK(to_wire_error(std::make_error_code(std::errc::io_error)).code == protocol::ErrorCode::storage_error);
}

TEST_CASE("error mapping: a timestamp out of bounds is INVALID_TIMESTAMP (23), not STORAGE_ERROR") {
  const WireError w = to_wire_error(storage::StorageErrc::invalid_timestamp);
  CHECK(w.code == protocol::ErrorCode::invalid_timestamp);
  CHECK(static_cast<int>(w.code) == 23);
  CHECK(protocol::error_info(w.code).name == "INVALID_TIMESTAMP");
  CHECK_FALSE(protocol::error_info(w.code).retriable);
}

}  // namespace strata::broker
