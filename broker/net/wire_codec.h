// What a listener needs to know of the wire protocol it speaks (DESIGN
// decision 12): how a request frame's size is written, the smallest legal
// frame, how to answer a frame it refuses, and the handler that turns a
// frame into a response. A second front door is a second codec given to a
// second listener; Connection and Listener stay the same.
//
// Both wires strata speaks frame every request as a 4-byte size followed by
// a header whose first 8 bytes hold the API key, its version and the
// correlation id (in each wire's own byte order), so a refusal can name
// the correlation id without decoding the request.
//
// Threads: a codec is built before its listener starts and only read after;
// handle() runs on the connection's shard.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "broker/net/response.h"
#include "broker/runtime/asio.h"
#include "protocol/base/result.h"

namespace strata::broker {

class Broker;

// Why a request is refused before (or instead of) its handler's answer.
enum class FrameRefusal : std::uint8_t { too_large, too_small, too_many_connections, internal_error };

class WireCodec {
 public:
  static constexpr std::size_t kSizeBytes = 4;  // the frame size prefix
  static constexpr std::size_t kHeadBytes = 8;  // API key, version, correlation id

  virtual ~WireCodec() = default;

  // For log lines: "strata", "kafka".
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;
  // The size of the frame that follows, from its kSizeBytes prefix.
  [[nodiscard]] virtual std::uint32_t frame_size(const std::uint8_t* prefix) const noexcept = 0;
  // The smallest request frame (a request header).
  [[nodiscard]] virtual std::uint32_t min_frame() const noexcept = 0;
  // The frame answering a request refused before it was read; head: the
  // first kHeadBytes after its size (zeros if the frame is shorter). Empty:
  // the wire has no such answer, and the connection just closes.
  [[nodiscard]] virtual std::vector<std::uint8_t> refusal(FrameRefusal why, std::span<const std::uint8_t> head,
                                                          std::string_view what) const = 0;
  // Turns one request frame (without its size) into its response.
  // Ownership: the caller keeps `frame` valid, untouched, until the
  // awaitable completes (handlers may work in place inside it).
  [[nodiscard]] virtual awaitable<Response> handle(Broker& broker, protocol::MutableBytes frame) const = 0;
};

}  // namespace strata::broker
