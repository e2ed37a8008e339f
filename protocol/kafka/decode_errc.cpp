#include "protocol/kafka/decode_errc.h"

#include <string>

namespace strata::kafka {
namespace {

class DecodeCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "strata.kafka.decode"; }
  std::string message(int ev) const override {
    switch (static_cast<DecodeErrc>(ev)) {
      case DecodeErrc::truncated: return "Kafka request is truncated: a field runs past the end of the frame";
      case DecodeErrc::negative_length: return "Kafka request has a negative length (or null where null is not allowed)";
      case DecodeErrc::count_too_large:
        return "Kafka request has an array count larger than the bytes left could hold";
      case DecodeErrc::bad_varint: return "Kafka request has a malformed varint";
      case DecodeErrc::trailing_bytes:
        return "Kafka request has bytes after its last field: client and broker disagree on the version's fields";
      case DecodeErrc::unsupported_version:
        return "Kafka request version is not supported: ask ApiVersions for the supported range";
      case DecodeErrc::unknown_api: return "Kafka API key is not served by strata: ask ApiVersions for the list";
      case DecodeErrc::invalid_value: return "Kafka request has a field value the protocol does not allow";
      case DecodeErrc::frame_too_large:
        return "Kafka request frame is larger than the broker accepts: send smaller batches or raise the limit";
      case DecodeErrc::negative_frame_size: return "Kafka request frame size is smaller than a request header";
    }
    return "unknown Kafka decode error";
  }
};

}  // namespace

const std::error_category& decode_category() noexcept {
  static const DecodeCategory category;
  return category;
}

}  // namespace strata::kafka
