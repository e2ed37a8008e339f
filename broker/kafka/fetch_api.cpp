// Fetch (Kafka key 1, v4-11): the service's fetch (core/fetch.h), then the
// response encoded without its records, each partition's segment slice
// going out with sendfile at its slot. LastStableOffset is the high
// watermark, which in standalone is the log end; no fetch sessions
// (session id 0); PreferredReadReplica -1.
//
// zstd (KIP-110): a Fetch older than v10 must not get zstd batches. For
// those versions only, the slice's batch headers are read with pread
// (bounded by the partition's max_bytes; on the connection's shard) and a
// slice holding a zstd batch is answered UNSUPPORTED_COMPRESSION_TYPE; v10+
// (every current client) pays nothing.
#include <algorithm>

#include "broker/core/fetch.h"
#include "broker/kafka/kafka_handlers.h"
#include "broker/runtime/logger.h"
#include "protocol/kafka/semantics.h"

namespace strata::broker::kafka {

namespace {

// The largest Fetch response frame: max.frame.bytes, and never past what
// Kafka's int32 frame size can say.
std::uint64_t frame_limit(const BrokerConfig& config) {
  return std::min<std::uint64_t>(config.max_frame_bytes, 0x7FFFFFFFu);
}

bool slice_has_zstd(const storage::SegmentSlice& slice) {
  std::vector<std::uint8_t> bytes(slice.length);
  auto got = slice.file->read_at(slice.position, bytes);
  if (!got) return false;  // sendfile will meet the same error and close
  bytes.resize(got.value());
  return wire::contains_zstd_batch(bytes);
}

wire::FetchPartitionResponse answer(const KafkaCall& call, PartitionRead& read) {
  wire::FetchPartitionResponse p;
  p.partition = static_cast<std::int32_t>(read.partition);
  p.error = error_for(call, read.error);
  p.log_start_offset = static_cast<std::int64_t>(read.log_start);
  p.high_watermark = p.last_stable_offset = static_cast<std::int64_t>(read.log_end);
  if (read.slice.length > 0 && call.version < wire::kFirstZstdFetchVersion && slice_has_zstd(read.slice)) {
    p.error = wire::KafkaError::unsupported_compression_type;
    read.slice = {};
  }
  p.records_size = static_cast<std::int32_t>(read.slice.length);
  return p;
}

}  // namespace

awaitable<Response> fetch_api(KafkaCall call, wire::FetchRequest request) {
  std::vector<FetchTarget> targets;
  for (const auto& t : request.topics) {
    for (const auto& p : t.partitions) {
      // A negative partition or offset matches no partition or offset:
      // the service answers unknown_partition or offset_out_of_range.
      targets.push_back({t.name, static_cast<std::uint32_t>(p.partition),
                         p.fetch_offset < 0 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(p.fetch_offset),
                         static_cast<std::uint32_t>(std::max(p.partition_max_bytes, 0))});
    }
  }
  const FetchLimits limits{std::chrono::milliseconds(std::max(request.max_wait_ms, 0)),
                           static_cast<std::uint32_t>(std::max(request.min_bytes, 0)),
                           static_cast<std::uint32_t>(std::max(request.max_bytes, 0)),
                           wire::fetch_response_overhead(request, call.version), frame_limit(call.broker.config())};
  FetchOutcome outcome = co_await fetch(call.broker, std::move(targets), limits);
  wire::FetchResponse response;
  std::size_t i = 0;
  for (const auto& t : request.topics) {
    auto& topic = response.topics.emplace_back();
    topic.name = t.name;
    for (std::size_t n = 0; n < t.partitions.size(); ++n, ++i) {
      if (!outcome.refused.ok()) {
        // The whole fetch refused (e.g. the answer would not fit a frame).
        auto& p = topic.partitions.emplace_back();
        p.partition = t.partitions[n].partition;
        p.error = error_for(call, outcome.refused.code);
        continue;
      }
      topic.partitions.push_back(answer(call, outcome.reads[i]));
    }
  }
  if (outcome.refused.ok()) count_records_out(outcome.targets, outcome.reads);  // after the zstd rule emptied its slices
  wire::Writer w = wire::begin_response(call.correlation_id, call.api, call.version);
  const std::vector<wire::RecordsSlot> slots = response.encode_without_records(w, call.version);
  std::uint64_t records = 0;
  for (const auto& s : slots) records += s.size;
  const std::vector<std::uint8_t> head = wire::finish_response(std::move(w), records);
  Response out;
  // The slots are in the order of the reads that have records.
  std::vector<const storage::SegmentSlice*> slices;
  if (outcome.refused.ok()) {
    for (const auto& read : outcome.reads) {
      if (read.slice.length > 0) slices.push_back(&read.slice);
    }
  }
  for (wire::FetchPiece& piece : wire::split_at_slots(head, slots)) {
    storage::SegmentSlice slice;
    if (piece.slot) slice = *slices.at(*piece.slot);
    out.chunks.push_back({std::move(piece.bytes), std::move(slice)});
  }
  out.affinity = outcome.affinity;
  co_return out;
}

}  // namespace strata::broker::kafka
