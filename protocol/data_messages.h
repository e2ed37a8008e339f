// Bodies of the data-path APIs (version 0 of each): Produce, Fetch and
// ListOffsets. Record batches travel as u32-length blobs holding the bytes of
// record_batch.h unchanged. decode() leaves the reader failed on bad input;
// decoded views point into the frame buffer, which the caller keeps alive.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/error_code.h"
#include "protocol/frame.h"

namespace strata::protocol {

enum class Acks : std::uint8_t { none = 0, leader = 1, durable = 2 };

struct ProducePartition {
  std::uint32_t partition = 0;
  Bytes batch;  // one record batch
};
struct ProduceTopic {
  std::string name;
  std::vector<ProducePartition> partitions;
};
struct ProduceRequest {
  Acks acks = Acks::leader;
  std::uint32_t timeout_ms = 30000;
  std::vector<ProduceTopic> topics;
  void encode(ByteWriter& w) const;
  static ProduceRequest decode(ByteReader& r);
};

struct ProducePartitionResult {
  std::uint32_t partition = 0;
  ErrorCode error = ErrorCode::none;
  std::uint64_t base_offset = 0;  // first offset assigned to the batch
  std::uint64_t log_start = 0;
  std::string message;  // specifics when error != none
  bool operator==(const ProducePartitionResult&) const = default;
};
struct ProduceTopicResult {
  std::string name;
  std::vector<ProducePartitionResult> partitions;
  bool operator==(const ProduceTopicResult&) const = default;
};
struct ProduceResponse {
  std::vector<ProduceTopicResult> topics;
  void encode(ByteWriter& w) const;
  static ProduceResponse decode(ByteReader& r);
};

struct FetchPartition {
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
  std::uint32_t max_bytes = 1u << 20;
  bool operator==(const FetchPartition&) const = default;
};
struct FetchTopic {
  std::string name;
  std::vector<FetchPartition> partitions;
  bool operator==(const FetchTopic&) const = default;
};
struct FetchRequest {
  std::uint32_t max_wait_ms = 500;
  std::uint32_t min_bytes = 1;
  std::uint32_t max_bytes = 50u << 20;
  std::vector<FetchTopic> topics;
  void encode(ByteWriter& w) const;
  static FetchRequest decode(ByteReader& r);
};

// The fixed part of one partition's fetch result. On the wire it is
// followed by u32 records_length and that many bytes of whole batches, so
// the broker can write this part and then sendfile the records.
struct FetchPartitionHeader {
  std::uint32_t partition = 0;
  ErrorCode error = ErrorCode::none;
  std::uint64_t log_start = 0;
  std::uint64_t log_end = 0;
  void encode(ByteWriter& w, std::uint32_t records_length) const;
};
struct FetchPartitionResult {
  FetchPartitionHeader header;
  Bytes records;
};
struct FetchTopicResult {
  std::string name;
  std::vector<FetchPartitionResult> partitions;
};
struct FetchResponse {
  std::vector<FetchTopicResult> topics;
  void encode(ByteWriter& w) const;
  static FetchResponse decode(ByteReader& r);
};

inline constexpr std::int64_t kLatestTimestamp = -1;
inline constexpr std::int64_t kEarliestTimestamp = -2;
inline constexpr std::int64_t kNoOffset = -1;

struct ListOffsetsPartition {
  std::uint32_t partition = 0;
  std::int64_t timestamp = kLatestTimestamp;  // or kEarliestTimestamp, or ms
  bool operator==(const ListOffsetsPartition&) const = default;
};
struct ListOffsetsTopic {
  std::string name;
  std::vector<ListOffsetsPartition> partitions;
  bool operator==(const ListOffsetsTopic&) const = default;
};
struct ListOffsetsRequest {
  std::vector<ListOffsetsTopic> topics;
  void encode(ByteWriter& w) const;
  static ListOffsetsRequest decode(ByteReader& r);
};
struct ListOffsetsPartitionResult {
  std::uint32_t partition = 0;
  ErrorCode error = ErrorCode::none;
  std::int64_t offset = kNoOffset;  // kNoOffset: no record at or after the time
  bool operator==(const ListOffsetsPartitionResult&) const = default;
};
struct ListOffsetsTopicResult {
  std::string name;
  std::vector<ListOffsetsPartitionResult> partitions;
  bool operator==(const ListOffsetsTopicResult&) const = default;
};
struct ListOffsetsResponse {
  std::vector<ListOffsetsTopicResult> topics;
  void encode(ByteWriter& w) const;
  static ListOffsetsResponse decode(ByteReader& r);
};

// The mutable view of `view`'s bytes inside `owner`, e.g. a produced batch
// inside the connection's frame buffer. REQUIRES: view lies within owner.
[[nodiscard]] MutableBytes mutable_view(MutableBytes owner, Bytes view) noexcept;

}  // namespace strata::protocol
