// Why a Kafka request could not be decoded. One value per distinct defect,
// so a test, a fuzzer and the front door's log can each say exactly what was
// wrong. The front door answers none of these with a response: a request it
// cannot decode has no trustworthy correlation id, so it closes the
// connection (as Apache Kafka does), except for the ApiVersions cases that
// KIP-511 says to answer.
#pragma once

#include <system_error>

namespace strata::kafka {

enum class DecodeErrc {
  truncated = 1,        // a field runs past the end of the request
  negative_length,      // a string, bytes or array length below -1 (or -1 where null is not allowed)
  count_too_large,      // an array count larger than the bytes left could hold
  bad_varint,           // a varint longer than its type allows (flexible versions)
  trailing_bytes,       // bytes left over after the last field of the version
  unsupported_version,  // the API exists but this version is not decoded
  unknown_api,          // an API key this broker does not serve
  invalid_value,        // a field holds a value the version does not allow (e.g. a bool not 0/1)
  frame_too_large,      // a frame size above the listener's limit
  negative_frame_size,  // a frame size below the smallest request header
};

[[nodiscard]] const std::error_category& decode_category() noexcept;

[[nodiscard]] inline std::error_code make_error_code(DecodeErrc e) noexcept {
  return {static_cast<int>(e), decode_category()};
}

}  // namespace strata::kafka

template <>
struct std::is_error_code_enum<strata::kafka::DecodeErrc> : std::true_type {};
