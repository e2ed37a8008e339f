// Wire error codes: every failure a client can meet has one, with a stable
// number (never reused), a name, and advice saying what to do. PROTOCOL.md
// lists the same table; broker/ maps module errors onto these in one place.
#pragma once

#include <cstdint>
#include <string_view>

namespace strata::protocol {

enum class ErrorCode : std::uint16_t {
  none = 0,
  unknown_topic = 1,
  unknown_partition = 2,
  offset_out_of_range = 3,
  corrupt_batch = 4,
  batch_too_large = 5,
  invalid_request = 6,
  unsupported_version = 7,
  topic_exists = 8,
  invalid_topic = 9,
  invalid_config = 10,
  not_enough_space = 11,
  storage_error = 12,
  too_many_connections = 13,
  unsupported_api = 14,
  invalid_partitions = 15,
  frame_too_large = 16,
  request_timed_out = 17,
  broker_shutting_down = 18,
  out_of_order_sequence = 19,
  too_many_open_files = 20,
  producer_fenced = 21,
  unknown_producer_id = 22,
  invalid_timestamp = 23,
  topic_being_deleted = 24,
  not_leader = 25,             // cluster mode: another broker leads the partition
  leader_not_available = 26,   // cluster mode: the partition's broker is down
  cluster_unavailable = 27,    // cluster mode: etcd (the metadata) unreachable for an admin call
  invalid_replication_factor = 28,  // more replicas asked for than brokers alive (or than built yet)
  not_enough_replicas = 29,    // acks=all with fewer in-sync replicas than min.insync.replicas
};
// The highest code in use: codes 0..kLastErrorCode are all defined.
inline constexpr ErrorCode kLastErrorCode = ErrorCode::not_enough_replicas;

struct ErrorInfo {
  std::string_view name;    // e.g. "UNKNOWN_TOPIC"
  std::string_view advice;  // what a client or user should do
  bool retriable;           // retrying the same request may succeed
};

// Information for any code; an unknown number yields "UNKNOWN_ERROR".
[[nodiscard]] ErrorInfo error_info(ErrorCode code) noexcept;

}  // namespace strata::protocol
