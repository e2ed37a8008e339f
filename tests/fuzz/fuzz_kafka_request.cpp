// libFuzzer target: one Kafka request frame (int32 size, request header,
// body) as the Kafka front door receives it. Decodes the size, the header
// and the body with the decoder the header's API key names (the front door's
// dispatch). Properties checked:
//   - nothing reads out of bounds or trips a sanitizer; every refusal is a
//     named DecodeErrc;
//   - a body that decodes was consumed exactly: one byte more is
//     trailing_bytes, one byte less fails;
//   - Produce records are views inside the body;
//   - ApiVersions of any version gets a well-formed frame (KIP-511);
//   - a Fetch response built from a decoded Fetch request encodes the same
//     bytes inline as without records with the records put back at the slots
//     (split_at_slots), and fetch_response_overhead is its size less the records.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/kafka/request.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace strata::kafka;

void check_api_versions(const RequestHeader& h) {
  const std::vector<std::uint8_t> frame = encode_api_versions_frame(h.correlation_id, h.api_version);
  FUZZ_CHECK(frame.size() >= 10);
  FUZZ_CHECK(strata::protocol::load_be<std::int32_t>(frame.data()) == static_cast<std::int32_t>(frame.size() - 4));
  FUZZ_CHECK(strata::protocol::load_be<std::int32_t>(frame.data() + 4) == h.correlation_id);
}

void check_exact_consumption(const RequestHeader& h, Bytes body) {
  std::vector<std::uint8_t> longer(body.begin(), body.end());
  longer.push_back(0);
  const auto more = decode_request(h, {longer.data(), longer.size()});
  FUZZ_CHECK(!more && more.error() == DecodeErrc::trailing_bytes);
  if (!body.empty()) FUZZ_CHECK(!decode_request(h, body.first(body.size() - 1)));
}

void check_produce(const ProduceRequest& m, Bytes body) {
  for (const auto& t : m.topics) {
    for (const auto& p : t.partitions) {
      if (!p.records) continue;
      FUZZ_CHECK(p.records->data() >= body.data());
      FUZZ_CHECK(p.records->data() + p.records->size() <= body.data() + body.size());
    }
  }
}

// Answers every requested partition with a slice of the body as its records.
void check_fetch(const FetchRequest& m, std::int16_t version, Bytes body) {
  FetchResponse resp;
  std::size_t cursor = 0;
  for (const auto& t : m.topics) {
    FetchTopicResponse tr{t.name, {}};
    for (const auto& p : t.partitions) {
      const std::size_t n = std::min<std::size_t>(body.size() - cursor, static_cast<std::size_t>(p.partition) % 64);
      FetchPartitionResponse pr;
      pr.partition = p.partition;
      pr.high_watermark = p.fetch_offset;
      pr.records = body.subspan(cursor, n);
      pr.records_size = p.partition_max_bytes < 0 ? -1 : static_cast<std::int32_t>(n);
      if (pr.records_size < 0) pr.records = {};
      cursor += n;
      tr.partitions.push_back(pr);
    }
    resp.topics.push_back(std::move(tr));
  }
  Writer inline_w;
  resp.encode(inline_w, version);
  Writer gapped;
  const std::vector<RecordsSlot> slots = resp.encode_without_records(gapped, version);
  std::vector<std::uint8_t> rebuilt;
  for (const FetchPiece& piece : split_at_slots(gapped.buffer(), slots)) {
    rebuilt.insert(rebuilt.end(), piece.bytes.begin(), piece.bytes.end());
    if (!piece.slot) continue;
    const RecordsSlot& s = slots[*piece.slot];
    const Bytes rec = resp.topics[s.topic].partitions[s.partition].records;
    FUZZ_CHECK(rec.size() == s.size);
    rebuilt.insert(rebuilt.end(), rec.begin(), rec.end());
  }
  FUZZ_CHECK(rebuilt == inline_w.buffer());
  // The overhead the service budgets for: everything but the records, plus
  // the size prefix and response header (8 bytes for Fetch 4-11).
  std::uint64_t records = 0;
  for (const RecordsSlot& s : slots) records += s.size;
  FUZZ_CHECK(fetch_response_overhead(m, version) == gapped.size() + 8);
  FUZZ_CHECK(gapped.size() + records == inline_w.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < kFrameSizeBytes) return 0;
  const auto frame_size = decode_frame_size(data, 1u << 20);
  if (!frame_size) FUZZ_CHECK(frame_size.error().category() == decode_category());
  // Decode what follows the size either way: the header decoder must be safe on any bytes.
  const Bytes request{data + kFrameSizeBytes, size - kFrameSizeBytes};
  const auto header = decode_request_header(request);
  if (!header) {
    FUZZ_CHECK(header.error().category() == decode_category());
    return 0;
  }
  const RequestHeader& h = header.value().header;
  FUZZ_CHECK(header.value().body_offset <= request.size());
  if (h.api_key == static_cast<std::int16_t>(ApiKey::api_versions)) check_api_versions(h);

  const Bytes body = request.subspan(header.value().body_offset);
  const auto decoded = decode_request(h, body);
  if (!decoded) {
    FUZZ_CHECK(decoded.error().category() == decode_category());
    return 0;
  }
  check_exact_consumption(h, body);
  if (const auto* produce = std::get_if<ProduceRequest>(&decoded.value())) check_produce(*produce, body);
  if (const auto* fetch = std::get_if<FetchRequest>(&decoded.value())) check_fetch(*fetch, h.api_version, body);
  return 0;
}
