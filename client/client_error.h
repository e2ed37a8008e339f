// The one exception type of the client library: a wire error code (or
// NONE for transport and usage errors) plus a message that says what to do.
#pragma once

#include <stdexcept>
#include <string>

#include "protocol/error_code.h"

namespace strata::client {

class ClientError : public std::runtime_error {
 public:
  enum class Kind { broker, network, usage, timeout };

  ClientError(Kind kind, protocol::ErrorCode code, const std::string& message)
      : std::runtime_error(message), kind_(kind), code_(code) {}

  static ClientError from_broker(protocol::ErrorCode code, const std::string& detail);
  static ClientError network(const std::string& message) {
    return {Kind::network, protocol::ErrorCode::none, message};
  }
  static ClientError usage(const std::string& message) { return {Kind::usage, protocol::ErrorCode::none, message}; }
  static ClientError timeout(const std::string& message) {
    return {Kind::timeout, protocol::ErrorCode::request_timed_out, message};
  }

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] protocol::ErrorCode code() const noexcept { return code_; }
  // Worth retrying the same request (network trouble, full disk, ...).
  [[nodiscard]] bool retriable() const noexcept;

 private:
  Kind kind_;
  protocol::ErrorCode code_;
};

}  // namespace strata::client
