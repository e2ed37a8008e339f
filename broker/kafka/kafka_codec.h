// Apache Kafka's wire protocol (codecs in protocol/kafka) as a listener's
// codec: the broker's second front door (DESIGN decision 18). Big-endian
// frame sizes; Kafka has no error frame for a request it cannot read, so
// every refusal (a frame too large or too small, an undecodable header or
// body, an API or version not served) closes the connection, as Apache
// Kafka does; ApiVersions of any version is always answered (KIP-511).
//
// Threads: built before its listener starts; set_advertised() is called
// before start(), and the codec is only read after.
#pragma once

#include <string>

#include "broker/net/wire_codec.h"

namespace strata::broker::kafka {

// Where Kafka clients are told to connect (Metadata's broker list).
struct AdvertisedAddress {
  std::string host;
  std::int32_t port = 0;
};

class KafkaCodec final : public WireCodec {
 public:
  void set_advertised(AdvertisedAddress address) { advertised_ = std::move(address); }
  [[nodiscard]] const AdvertisedAddress& advertised() const noexcept { return advertised_; }

  [[nodiscard]] std::string_view name() const noexcept override { return "kafka"; }
  [[nodiscard]] std::uint32_t frame_size(const std::uint8_t* prefix) const noexcept override;
  [[nodiscard]] std::uint32_t min_frame() const noexcept override;
  // Always empty: the connection closes.
  [[nodiscard]] std::vector<std::uint8_t> refusal(FrameRefusal why, std::span<const std::uint8_t> head,
                                                  std::string_view what) const override;
  [[nodiscard]] awaitable<Response> handle(Broker& broker, protocol::MutableBytes frame) const override;

 private:
  AdvertisedAddress advertised_;
};

}  // namespace strata::broker::kafka
