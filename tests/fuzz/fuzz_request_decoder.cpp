// libFuzzer target: one wire frame (u32 size prefix, then header and body) as
// the broker and the client receive it. Decodes the frame size, the request
// header, then the body with the request decoder the header's API key names
// (the broker's dispatch) and with that API's response decoder (what the
// client runs on a reply), plus the response header. Properties checked:
//   - no decoder reads out of bounds or trips a sanitizer;
//   - whatever decodes re-encodes to exactly the bytes it was decoded from
//     (the wire encoding is canonical), so encode and decode agree;
//   - every batch a Produce request carries passes validate_for_append
//     exactly when validate_batch accepts it (the broker's two gates agree).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/admin_messages.h"
#include "protocol/batch_validator.h"
#include "protocol/data_messages.h"
#include "protocol/frame.h"
#include "protocol/producer_id_messages.h"
#include "protocol/retention_messages.h"
#include "protocol/topic_name.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace strata::protocol;

// Decodes Message from body; if that succeeds, its encoding must be exactly
// the bytes the decoder consumed.
template <typename Message>
void check_canonical(Bytes body) {
  ByteReader r(body);
  const Message m = Message::decode(r);
  if (!r.ok()) return;
  const auto consumed = static_cast<std::size_t>(r.position() - body.data());
  ByteWriter w;
  m.encode(w);
  const std::vector<std::uint8_t>& out = w.buffer();
  FUZZ_CHECK(out.size() == consumed);
  FUZZ_CHECK(std::equal(out.begin(), out.end(), body.begin()));
}

void check_produce_batches(MutableBytes frame, Bytes body) {
  ByteReader r(body);
  const ProduceRequest request = ProduceRequest::decode(r);
  if (!r.ok()) return;
  for (const auto& topic : request.topics) {
    (void)valid_topic_name(topic.name);
    for (const auto& p : topic.partitions) {
      const bool valid = static_cast<bool>(validate_batch(p.batch, kDefaultMaxFrameBytes));
      const auto appendable = validate_for_append(mutable_view(frame, p.batch), kDefaultMaxFrameBytes);
      FUZZ_CHECK(valid == static_cast<bool>(appendable));
      if (appendable) FUZZ_CHECK(appendable.value().bytes().size() == p.batch.size());
    }
  }
}

void check_request(ApiKey key, MutableBytes frame, Bytes body) {
  switch (key) {
    case ApiKey::api_versions: check_canonical<ApiVersionsRequest>(body); break;
    case ApiKey::metadata: check_canonical<MetadataRequest>(body); break;
    case ApiKey::create_topic: check_canonical<CreateTopicRequest>(body); break;
    case ApiKey::delete_topic:
    case ApiKey::describe_configs: check_canonical<TopicRequest>(body); break;
    case ApiKey::alter_configs: check_canonical<AlterConfigsRequest>(body); break;
    case ApiKey::produce:
      check_canonical<ProduceRequest>(body);
      check_produce_batches(frame, body);
      break;
    case ApiKey::fetch: check_canonical<FetchRequest>(body); break;
    case ApiKey::list_offsets: check_canonical<ListOffsetsRequest>(body); break;
    case ApiKey::init_producer_id: check_canonical<InitProducerIdRequest>(body); break;
    case ApiKey::describe_retention: check_canonical<TopicRequest>(body); break;
  }
}

void check_response(ApiKey key, Bytes body) {
  switch (key) {
    case ApiKey::api_versions: check_canonical<ApiVersionsResponse>(body); break;
    case ApiKey::metadata: check_canonical<MetadataResponse>(body); break;
    case ApiKey::create_topic:
    case ApiKey::delete_topic:
    case ApiKey::alter_configs: check_canonical<StatusResponse>(body); break;
    case ApiKey::describe_configs: check_canonical<DescribeConfigsResponse>(body); break;
    case ApiKey::produce: check_canonical<ProduceResponse>(body); break;
    case ApiKey::fetch: check_canonical<FetchResponse>(body); break;
    case ApiKey::list_offsets: check_canonical<ListOffsetsResponse>(body); break;
    case ApiKey::init_producer_id: check_canonical<InitProducerIdResponse>(body); break;
    case ApiKey::describe_retention: check_canonical<DescribeRetentionResponse>(body); break;
  }
}

// The response header (and the error string that follows a failed one).
void check_response_header(Bytes frame) {
  ByteReader r(frame);
  const ResponseHeader h = read_response_header(r);
  if (!r.ok() || h.error == ErrorCode::none) return;
  (void)read_string(r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < kFrameSizeBytes) return 0;
  const std::uint32_t declared = read_frame_size(data);
  (void)check_frame_size(declared, kMinRequestFrame, kDefaultMaxFrameBytes);
  // The frame as the connection hands it on: the declared size, or what the
  // input has if that is less. Copied so Produce batches can be viewed
  // mutably, as the broker does.
  const std::size_t available = size - kFrameSizeBytes;
  std::vector<std::uint8_t> frame(data + kFrameSizeBytes,
                                  data + kFrameSizeBytes + std::min<std::size_t>(declared, available));
  check_response_header(frame);

  ByteReader r(frame);
  const RequestHeader header = read_request_header(r);
  if (!r.ok()) return 0;
  const auto body_at = static_cast<std::size_t>(r.position() - frame.data());
  ByteWriter w;
  begin_request(w, header);
  FUZZ_CHECK(w.size() == kFrameSizeBytes + body_at);
  FUZZ_CHECK(std::equal(w.buffer().begin() + kFrameSizeBytes, w.buffer().end(), frame.begin()));

  (void)api_name(header.api_key);
  if (static_cast<std::uint16_t>(header.api_key) >= kApiKeyCount) return 0;
  const Bytes body = Bytes(frame).subspan(body_at);
  check_request(header.api_key, frame, body);
  check_response(header.api_key, body);
  return 0;
}
