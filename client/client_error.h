// The client library's internal error type: strata::Error (the public
// one, strata/errors.h) whose code() is the wire's protocol::ErrorCode, so
// the library compares codes without converting. Whatever it throws or
// hands to a callback is a strata::Error to applications.
#pragma once

#include <string>

#include "protocol/error_code.h"
#include "strata/errors.h"

namespace strata::client {

class ClientError : public strata::Error {
 public:
  ClientError(Kind kind, protocol::ErrorCode code, const std::string& message)
      : strata::Error(kind, static_cast<strata::ErrorCode>(code), message) {}

  // The broker's error with its name, the detail and the code's advice.
  static ClientError from_broker(protocol::ErrorCode code, const std::string& detail);
  static ClientError network(const std::string& message) {
    return {Kind::network, protocol::ErrorCode::none, message};
  }
  static ClientError usage(const std::string& message) { return {Kind::usage, protocol::ErrorCode::none, message}; }
  static ClientError timeout(const std::string& message) {
    return {Kind::timeout, protocol::ErrorCode::request_timed_out, message};
  }

  // The wire code (hides strata::Error::code(), the same number).
  [[nodiscard]] protocol::ErrorCode code() const noexcept {
    return static_cast<protocol::ErrorCode>(strata::Error::code());
  }
};

}  // namespace strata::client
