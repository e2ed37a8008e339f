// Module errors become the service's errors in one place (to_status), and
// those become strata's wire codes in one place (native::to_wire): running
// out of descriptors is TOO_MANY_OPEN_FILES with a message naming the
// limit, never STORAGE_ERROR ("check the disk"); every Errc has its own
// wire code.
#include <doctest/doctest.h>

#include <set>

#include "broker/core/error_mapping.h"
#include "broker/native/wire_errors.h"
#include "storage/storage_errc.h"

namespace strata::broker {

TEST_CASE("error mapping: EMFILE and ENFILE are TOO_MANY_OPEN_FILES, not a disk failure") {
  for (const int e : {EMFILE, ENFILE}) {
    CAPTURE(e);
    const Status s = to_status(std::error_code(e, std::system_category()));
    CHECK(native::to_wire(s.code) == protocol::ErrorCode::too_many_open_files);
    CHECK(s.message.find("not out of disk") != std::string::npos);
    CHECK(s.message.find("LimitNOFILE=") != std::string::npos);
  }
  CHECK(to_status(std::make_error_code(std::errc::io_error)).code == Errc::storage_error);
}

TEST_CASE("error mapping: a timestamp out of bounds is INVALID_TIMESTAMP (23), not STORAGE_ERROR") {
  const auto code = native::to_wire(to_status(storage::StorageErrc::invalid_timestamp).code);
  CHECK(code == protocol::ErrorCode::invalid_timestamp);
  CHECK(static_cast<int>(code) == 23);
  CHECK(protocol::error_info(code).name == "INVALID_TIMESTAMP");
  CHECK_FALSE(protocol::error_info(code).retriable);
}

TEST_CASE("error mapping: every service error has a wire code of its own") {
  std::set<protocol::ErrorCode> seen;
  const auto last = static_cast<int>(kLastErrc);
  for (int i = 0; i <= last; ++i) {
    const auto code = static_cast<Errc>(i);
    CAPTURE(errc_name(code));
    CHECK(errc_name(code) != "unknown");
    CHECK(seen.insert(native::to_wire(code)).second);
  }
  CHECK(native::to_wire(Errc::none) == protocol::ErrorCode::none);
}

}  // namespace strata::broker
