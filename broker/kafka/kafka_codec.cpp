#include "broker/kafka/kafka_codec.h"

#include <chrono>

#include "broker/kafka/kafka_handlers.h"
#include "broker/ops/metrics.h"
#include "broker/runtime/logger.h"
#include "protocol/byte_io.h"

namespace strata::broker::kafka {

namespace {

static_assert(WireCodec::kSizeBytes == wire::kFrameSizeBytes);

// A request the front door cannot answer: logged, and the connection
// closes without a response (Kafka has no error frame for it).
Response close_connection(const std::string& why) {
  log_info("closing a Kafka connection: " + why);
  Response r;
  r.send = false;
  r.close_after = true;
  return r;
}

std::string api_text(const wire::RequestHeader& h) {
  return "API key " + std::to_string(h.api_key) + " version " + std::to_string(h.api_version);
}

// One handler per decoded request type; std::visit cannot co_await.
awaitable<Response> dispatch(KafkaCall call, wire::KafkaRequest request) {
  using namespace strata::kafka;
  if (auto* r = std::get_if<ProduceRequest>(&request)) co_return co_await produce_api(call, std::move(*r));
  if (auto* r = std::get_if<FetchRequest>(&request)) co_return co_await fetch_api(call, std::move(*r));
  if (auto* r = std::get_if<ListOffsetsRequest>(&request)) co_return co_await list_offsets_api(call, std::move(*r));
  if (auto* r = std::get_if<MetadataRequest>(&request)) co_return co_await metadata_api(call, std::move(*r));
  if (auto* r = std::get_if<CreateTopicsRequest>(&request)) co_return co_await create_topics_api(call, std::move(*r));
  if (auto* r = std::get_if<DeleteTopicsRequest>(&request)) co_return co_await delete_topics_api(call, std::move(*r));
  if (auto* r = std::get_if<DescribeConfigsRequest>(&request)) {
    co_return co_await describe_configs_api(call, std::move(*r));
  }
  if (auto* r = std::get_if<AlterConfigsRequest>(&request)) co_return co_await alter_configs_api(call, std::move(*r));
  if (auto* r = std::get_if<IncrementalAlterConfigsRequest>(&request)) {
    co_return co_await incremental_alter_configs_api(call, std::move(*r));
  }
  if (auto* r = std::get_if<InitProducerIdRequest>(&request)) {
    co_return co_await init_producer_id_api(call, std::move(*r));
  }
  if (auto* r = std::get_if<FindCoordinatorRequest>(&request)) {
    co_return co_await find_coordinator_api(call, std::move(*r));
  }
  // ApiVersions is answered before decoding (KafkaCodec::handle).
  co_return close_connection("no handler for a decoded request");
}

}  // namespace

std::uint32_t KafkaCodec::frame_size(const std::uint8_t* prefix) const noexcept {
  // A negative int32 reads as a huge size: refused as too large.
  return protocol::load_be<std::uint32_t>(prefix);
}

std::uint32_t KafkaCodec::min_frame() const noexcept { return wire::kMinRequestBytes; }

std::vector<std::uint8_t> KafkaCodec::refusal(FrameRefusal, std::span<const std::uint8_t>, std::string_view) const {
  return {};
}

namespace {

// Answers one request; `served_key` is its API key once the header
// decoded and names a served API (or ApiVersions), else -1.
awaitable<Response> answer(const KafkaCodec& codec, Broker& broker, protocol::MutableBytes frame,
                           std::int16_t& served_key) {
  auto decoded = wire::decode_request_header(protocol::Bytes(frame));
  if (!decoded) co_return close_connection("request header: " + decoded.error().message());
  const wire::DecodedHeader& d = decoded.value();
  const wire::RequestHeader& h = d.header;
  if (log_enabled(LogLevel::debug)) {
    // Which versions a client uses (the conformance tests keep this log).
    log_line(LogLevel::debug, "kafka request " + (d.api ? std::string(d.api->name) : api_text(h)) + " v" +
                                  std::to_string(h.api_version));
  }
  served_key = h.api_key;
  if (h.api_key == static_cast<std::int16_t>(wire::ApiKey::api_versions)) {
    co_return Response::frame(wire::encode_api_versions_frame(h.correlation_id, h.api_version));
  }
  if (d.api == nullptr) {
    served_key = -1;
    co_return close_connection(api_text(h) + " is not served; ApiVersions lists those that are");
  }
  if (!wire::version_supported(*d.api, h.api_version)) {
    co_return close_connection(std::string(d.api->name) + " version " + std::to_string(h.api_version) +
                               " is not served (versions " + std::to_string(d.api->min_version) + " to " +
                               std::to_string(d.api->max_version) + ")");
  }
  auto request = wire::decode_request(h, protocol::Bytes(frame.subspan(d.body_offset)));
  if (!request) {
    co_return close_connection(std::string(d.api->name) + " v" + std::to_string(h.api_version) +
                               " could not be decoded: " + request.error().message());
  }
  KafkaCall call{broker, codec, *d.api, h.api_version, h.correlation_id, frame};
  Response out = co_await dispatch(call, std::move(request.value()));
  co_return out;
}

}  // namespace

awaitable<Response> KafkaCodec::handle(Broker& broker, protocol::MutableBytes frame) const {
  const auto started = std::chrono::steady_clock::now();
  std::int16_t key = -1;
  Response out = co_await answer(*this, broker, frame, key);
  // Back on the connection's shard: its metrics.
  if (key >= 0 && static_cast<std::size_t>(key) < kKafkaApiSlots) {
    KafkaApiMetrics& m = local_metrics().kafka_apis[static_cast<std::size_t>(key)];
    ++m.requests;
    m.latency.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  co_return out;
}

}  // namespace strata::broker::kafka
