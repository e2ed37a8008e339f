#include "client/client_error.h"

namespace strata {

std::string_view error_name(ErrorCode code) noexcept {
  return protocol::error_info(static_cast<protocol::ErrorCode>(code)).name;
}

Error broker_error(ErrorCode code, const std::string& detail) {
  return client::ClientError::from_broker(static_cast<protocol::ErrorCode>(code), detail);
}

bool Error::retriable() const noexcept {
  if (kind_ == Kind::network || kind_ == Kind::timeout) return true;
  return kind_ == Kind::broker && protocol::error_info(static_cast<protocol::ErrorCode>(code_)).retriable;
}

}  // namespace strata

namespace strata::client {

// The public enum is the wire's, number for number.
static_assert(static_cast<std::uint16_t>(strata::ErrorCode::not_enough_replicas) ==
              static_cast<std::uint16_t>(protocol::kLastErrorCode));

ClientError ClientError::from_broker(protocol::ErrorCode code, const std::string& detail) {
  const auto info = protocol::error_info(code);
  std::string message(info.name);
  if (!detail.empty()) message += ": " + detail;
  if (!info.advice.empty()) message += " (" + std::string(info.advice) + ")";
  return {Kind::broker, code, message};
}

}  // namespace strata::client
