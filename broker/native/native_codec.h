// strata's own protocol (protocol/PROTOCOL.md) as a listener's codec:
// little-endian frame sizes, refusals as error response frames, requests
// dispatched through strata_api_table().
#pragma once

#include "broker/net/wire_codec.h"

namespace strata::broker {

class NativeCodec final : public WireCodec {
 public:
  [[nodiscard]] std::string_view name() const noexcept override { return "strata"; }
  [[nodiscard]] std::uint32_t frame_size(const std::uint8_t* prefix) const noexcept override;
  [[nodiscard]] std::uint32_t min_frame() const noexcept override;
  [[nodiscard]] std::vector<std::uint8_t> refusal(FrameRefusal why, std::span<const std::uint8_t> head,
                                                  std::string_view what) const override;
  [[nodiscard]] awaitable<Response> handle(Broker& broker, protocol::MutableBytes frame) const override;
};

}  // namespace strata::broker
