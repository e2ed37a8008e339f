/// @file strata/errors.h
/// @brief The one exception type of the strata client library, and the
/// broker's error codes.
///
/// Part of strata's public client API: it includes only the standard
/// library. Every function of the library that fails throws strata::Error
/// (or hands one to a send callback); nothing else is thrown except
/// std::bad_alloc.
#pragma once

#include "strata/export.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace strata {

/// The broker's error codes, numbered as on the wire (protocol/PROTOCOL.md).
/// A number is never reused; new codes may be added in a minor version, so
/// a `switch` over this enum needs a `default`.
enum class ErrorCode : std::uint16_t {
  none = 0,                   ///< Not an error from the broker (a network, usage or timeout error).
  unknown_topic = 1,          ///< The topic does not exist.
  unknown_partition = 2,      ///< The partition is not in the topic.
  offset_out_of_range = 3,    ///< The offset is outside the partition's log.
  corrupt_batch = 4,          ///< A batch failed its checks.
  batch_too_large = 5,        ///< A batch is larger than the topic's max.message.bytes.
  invalid_request = 6,        ///< The broker could not decode a request.
  unsupported_version = 7,    ///< The broker does not speak that version of the API.
  topic_exists = 8,           ///< A topic of that name exists.
  invalid_topic = 9,          ///< The topic name is not legal.
  invalid_config = 10,        ///< A topic config's key or value is not accepted.
  not_enough_space = 11,      ///< The broker's disk is full.
  storage_error = 12,         ///< The broker could not read or write its disk.
  too_many_connections = 13,  ///< The broker refuses more connections.
  unsupported_api = 14,       ///< The broker does not know the API.
  invalid_partitions = 15,    ///< The partition count is not accepted.
  frame_too_large = 16,       ///< A request or response frame is over the limit.
  request_timed_out = 17,     ///< No answer in time.
  broker_shutting_down = 18,  ///< The broker is stopping.
  out_of_order_sequence = 19, ///< An idempotent producer's batch is out of sequence.
  too_many_open_files = 20,   ///< The broker is out of file descriptors.
  producer_fenced = 21,       ///< A newer producer took over this producer id.
  unknown_producer_id = 22,   ///< The broker does not know the producer id.
  invalid_timestamp = 23,     ///< A record's timestamp is outside the topic's bounds.
  topic_being_deleted = 24,   ///< The topic's deletion is still removing its files.
  not_leader = 25,            ///< Cluster mode: another broker leads the partition (retriable: refresh metadata).
  leader_not_available = 26,  ///< Cluster mode: the partition's broker is down (retriable).
  cluster_unavailable = 27,   ///< Cluster mode: the metadata store (etcd) is unreachable for an admin call (retriable).
  invalid_replication_factor = 28,  ///< More replicas asked for than brokers alive (or than the broker keeps).
  not_enough_replicas = 29,   ///< acks=all refused: fewer in-sync replicas than min.insync.replicas (retriable).
};

/// The code's name as the broker and the CLI print it ("UNKNOWN_TOPIC");
/// "UNKNOWN_ERROR" for a number this library does not know.
/// Thread-safe; never blocks; never throws.
[[nodiscard]] STRATA_API std::string_view error_name(ErrorCode code) noexcept;

class Error;
/// The broker's error `code` as the library reports it: "NAME: detail
/// (advice)", where the advice says what to do. Never blocks.
[[nodiscard]] STRATA_API Error broker_error(ErrorCode code, const std::string& detail);

/// What went wrong, as a code and a message saying what to do.
///
/// Copyable; what() is the message (it starts with the code's name for
/// broker errors, e.g. "UNKNOWN_TOPIC: ... (create it first ...)").
class STRATA_API Error : public std::runtime_error {
 public:
  /// Where the error came from.
  enum class Kind {
    broker,   ///< The broker answered with code() (not ErrorCode::none).
    network,  ///< The connection failed or broke; code() is ErrorCode::none.
    usage,    ///< The call's arguments or options cannot be honoured.
    timeout,  ///< No answer in time; code() is ErrorCode::request_timed_out.
  };

  /// An error of `kind` with `code` and a message saying what to do.
  Error(Kind kind, ErrorCode code, const std::string& message)
      : std::runtime_error(message), kind_(kind), code_(code) {}

  /// Where it came from.
  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  /// The broker's code (ErrorCode::none for network and usage errors).
  [[nodiscard]] ErrorCode code() const noexcept { return code_; }
  /// Whether retrying the same call may succeed (network trouble, a
  /// timeout, a full disk, a topic being deleted, ...).
  [[nodiscard]] bool retriable() const noexcept;

 private:
  Kind kind_;
  ErrorCode code_;
};

}  // namespace strata
