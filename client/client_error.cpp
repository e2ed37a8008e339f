#include "client/client_error.h"

namespace strata::client {

ClientError ClientError::from_broker(protocol::ErrorCode code, const std::string& detail) {
  const auto info = protocol::error_info(code);
  std::string message(info.name);
  if (!detail.empty()) message += ": " + detail;
  if (!info.advice.empty()) message += " (" + std::string(info.advice) + ")";
  return {Kind::broker, code, message};
}

bool ClientError::retriable() const noexcept {
  if (kind_ == Kind::network || kind_ == Kind::timeout) return true;
  return kind_ == Kind::broker && protocol::error_info(code_).retriable;
}

}  // namespace strata::client
