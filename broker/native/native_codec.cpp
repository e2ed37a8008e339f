#include "broker/native/native_codec.h"

#include "broker/native/request_handlers.h"
#include "protocol/wire_coding.h"

namespace strata::broker {

using protocol::ErrorCode;

static_assert(WireCodec::kSizeBytes == protocol::kFrameSizeBytes);

std::uint32_t NativeCodec::frame_size(const std::uint8_t* prefix) const noexcept {
  return protocol::read_frame_size(prefix);
}

std::uint32_t NativeCodec::min_frame() const noexcept { return protocol::kMinRequestFrame; }

std::vector<std::uint8_t> NativeCodec::refusal(FrameRefusal why, std::span<const std::uint8_t> head,
                                               std::string_view what) const {
  // The header: api_key u16, api_version u16, correlation_id u32.
  const std::uint32_t correlation = head.size() >= kHeadBytes ? protocol::load_le<std::uint32_t>(head.data() + 4) : 0;
  ErrorCode code = ErrorCode::invalid_request;  // too_small, internal_error
  if (why == FrameRefusal::too_large) code = ErrorCode::frame_too_large;
  if (why == FrameRefusal::too_many_connections) code = ErrorCode::too_many_connections;
  return protocol::error_response_frame(correlation, code, what);
}

awaitable<Response> NativeCodec::handle(Broker& broker, protocol::MutableBytes frame) const {
  co_return co_await handle_request(broker, frame);
}

}  // namespace strata::broker
