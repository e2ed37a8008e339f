// Fetch (key 1), versions 4-11, all classic. strata keeps no fetch sessions:
// v7+ answers session id 0 (every fetch is a full one) and ignores the
// forgotten-topics list; v11+ PreferredReadReplica is -1. LastStableOffset
// (v4+) must be the high watermark: librdkafka reads up to it. zstd batches
// may be returned only to v10+ (older: UNSUPPORTED_COMPRESSION_TYPE).
//
// The records of each partition can be left out of the encoding
// (encode_without_records) so the front door sends them from the segment
// file with sendfile, between the encoded pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/kafka/api_table.h"
#include "protocol/kafka/error_code.h"
#include "protocol/kafka/reader.h"
#include "protocol/kafka/writer.h"
#include "protocol/base/result.h"

namespace strata::kafka {

inline constexpr std::int16_t kFirstZstdFetchVersion = 10;

struct FetchPartitionRequest {
  std::int32_t partition = 0;
  std::int32_t current_leader_epoch = -1;  // v9+
  std::int64_t fetch_offset = 0;
  std::int64_t log_start_offset = -1;      // v5+, followers only
  std::int32_t partition_max_bytes = 0;
  bool operator==(const FetchPartitionRequest&) const = default;
};
struct FetchTopicRequest {
  std::string name;
  std::vector<FetchPartitionRequest> partitions;
  bool operator==(const FetchTopicRequest&) const = default;
};
struct ForgottenTopic {
  std::string name;
  std::vector<std::int32_t> partitions;
  bool operator==(const ForgottenTopic&) const = default;
};
struct FetchRequest {
  static constexpr ApiKey kKey = ApiKey::fetch;
  static constexpr std::int16_t kMinVersion = 4;
  static constexpr std::int16_t kMaxVersion = 11;

  std::int32_t replica_id = -1;
  std::int32_t max_wait_ms = 0;
  std::int32_t min_bytes = 0;
  std::int32_t max_bytes = 0x7fffffff;
  std::int8_t isolation_level = 0;  // 0 read uncommitted, 1 read committed (the same here: no transactions)
  std::int32_t session_id = 0;      // v7+
  std::int32_t session_epoch = -1;  // v7+
  std::vector<FetchTopicRequest> topics;
  std::vector<ForgottenTopic> forgotten;  // v7+
  std::string rack_id;                    // v11+
  bool operator==(const FetchRequest&) const = default;

  [[nodiscard]] static Result<FetchRequest> decode(Bytes body, std::int16_t version);
};

struct FetchPartitionResponse {
  std::int32_t partition = 0;
  KafkaError error = KafkaError::none;
  std::int64_t high_watermark = -1;
  std::int64_t last_stable_offset = -1;  // set it to high_watermark
  std::int64_t log_start_offset = -1;    // v5+
  std::int32_t preferred_read_replica = -1;  // v11+
  // The records: records_size bytes of whole batches, or -1 for null.
  // `records` holds them when encoded inline (encode); it is ignored by
  // encode_without_records, whose caller sends records_size bytes itself.
  std::int32_t records_size = 0;
  Bytes records;
};
struct FetchTopicResponse {
  std::string name;
  std::vector<FetchPartitionResponse> partitions;
};

// Where one partition's records go in a response encoded without them: they
// follow the encoded bytes [.., at) and precede [at, ..).
struct RecordsSlot {
  std::size_t at = 0;           // offset in the encoded buffer
  std::size_t topic = 0;        // index into FetchResponse::topics
  std::size_t partition = 0;    // index into that topic's partitions
  std::uint32_t size = 0;       // records_size
};

struct FetchResponse {
  std::int32_t throttle_time_ms = 0;
  KafkaError error = KafkaError::none;  // v7+
  std::int32_t session_id = 0;          // v7+; always 0 (no fetch sessions)
  std::vector<FetchTopicResponse> topics;

  // Everything, records included (REQUIRES: records.size() == records_size
  // where records_size >= 0).
  void encode(Writer& w, std::int16_t version) const;
  // Everything but the record bytes; returns, in order, where each
  // partition's records (records_size > 0) belong. The frame's size prefix
  // must count them: finish_response(w, sum of slot sizes).
  [[nodiscard]] std::vector<RecordsSlot> encode_without_records(Writer& w, std::int16_t version) const;

 private:
  void encode_impl(Writer& w, std::int16_t version, std::vector<RecordsSlot>* slots) const;
};

// One piece of a response frame encoded without records: bytes to write,
// then, when `slot` is set, that RecordsSlot's records (a segment slice the
// front door sends with sendfile). The pieces of a frame, in order.
struct FetchPiece {
  std::vector<std::uint8_t> bytes;
  std::optional<std::size_t> slot;  // index into the slots
};
[[nodiscard]] std::vector<FetchPiece> split_at_slots(const std::vector<std::uint8_t>& frame,
                                                     const std::vector<RecordsSlot>& slots);

// The bytes a Fetch response frame to `request` needs besides the records:
// the size prefix, the response header and every field of every requested
// partition (none depend on the records' size), for the service's budget.
[[nodiscard]] std::uint64_t fetch_response_overhead(const FetchRequest& request, std::int16_t version);

}  // namespace strata::kafka
