#include "protocol/error_code.h"

namespace strata::protocol {

ErrorInfo error_info(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::none: return {"NONE", "", false};
    case ErrorCode::unknown_topic:
      return {"UNKNOWN_TOPIC", "the topic does not exist: create it (strata topic create NAME) or check the name",
              false};
    case ErrorCode::unknown_partition:
      return {"UNKNOWN_PARTITION", "the topic has fewer partitions: refresh metadata and use 0..count-1", false};
    case ErrorCode::offset_out_of_range:
      return {"OFFSET_OUT_OF_RANGE",
              "the offset is below the log start (deleted by retention) or past the end: list offsets and reset",
              false};
    case ErrorCode::corrupt_batch:
      return {"CORRUPT_BATCH", "the record batch failed validation (checksum, counts or sizes): rebuild and resend it",
              false};
    case ErrorCode::batch_too_large:
      return {"BATCH_TOO_LARGE", "the batch exceeds the topic's max.message.bytes: send smaller batches", false};
    case ErrorCode::invalid_request:
      return {"INVALID_REQUEST", "the request could not be decoded: this is a client bug; check the protocol spec",
              false};
    case ErrorCode::unsupported_version:
      return {"UNSUPPORTED_VERSION", "the broker does not support this API version: use ApiVersions to pick one",
              false};
    case ErrorCode::topic_exists: return {"TOPIC_EXISTS", "a topic with this name exists already", false};
    case ErrorCode::invalid_topic:
      return {"INVALID_TOPIC", "topic names are 1-249 characters of [A-Za-z0-9._-], not '.' or '..'", false};
    case ErrorCode::invalid_config:
      return {"INVALID_CONFIG", "a config key is unknown or its value out of range: see the broker's --help", false};
    case ErrorCode::not_enough_space:
      return {"NOT_ENOUGH_SPACE", "the broker's disk is full: free space, lower retention or delete topics; retry",
              true};
    case ErrorCode::storage_error:
      return {"STORAGE_ERROR", "the partition's storage failed (e.g. fsync): the broker operator must check the disk",
              false};
    case ErrorCode::too_many_connections:
      return {"TOO_MANY_CONNECTIONS", "the broker is at its connection limit: close idle connections; retry later",
              true};
    case ErrorCode::unsupported_api:
      return {"UNSUPPORTED_API", "the broker does not know this API key: use ApiVersions", false};
    case ErrorCode::invalid_partitions:
      return {"INVALID_PARTITIONS", "a topic needs between 1 and the broker's max.partitions partitions", false};
    case ErrorCode::frame_too_large:
      return {"FRAME_TOO_LARGE", "the request frame exceeds the broker's max frame size: send smaller requests",
              false};
    case ErrorCode::request_timed_out:
      return {"REQUEST_TIMED_OUT", "the broker could not complete the request in time: retry", true};
    case ErrorCode::broker_shutting_down:
      return {"BROKER_SHUTTING_DOWN", "the broker is stopping: reconnect and retry", true};
    case ErrorCode::out_of_order_sequence:
      return {"OUT_OF_ORDER_SEQUENCE",
              "the batch's sequence number does not follow the producer's last batch on this partition (an "
              "earlier batch is missing): resend the earlier batches first, in order",
              true};
    case ErrorCode::too_many_open_files:
      return {"TOO_MANY_OPEN_FILES",
              "the broker ran out of open files (its RLIMIT_NOFILE or the system's): no disk failed; the operator "
              "must raise LimitNOFILE= or ulimit -n, or lower file.cache.size or max.connections; retry later",
              true};
    case ErrorCode::producer_fenced:
      return {"PRODUCER_FENCED",
              "a newer instance of this producer (the same producer id, a later epoch from InitProducerId) has "
              "taken over: stop this instance, or call InitProducerId again to take over yourself",
              false};
    case ErrorCode::unknown_producer_id:
      return {"UNKNOWN_PRODUCER_ID",
              "InitProducerId was given a producer id this broker never allocated: ask for a new id (-1)", false};
    case ErrorCode::invalid_timestamp:
      return {"INVALID_TIMESTAMP",
              "a record's timestamp is further from the broker's clock than the topic's "
              "message.timestamp.before.max.ms / after.max.ms allow (the message gives both times and the bound); "
              "nothing of the batch was stored: fix the producer's clock, raise the bound, or use "
              "message.timestamp.type=LogAppendTime",
              false};
    case ErrorCode::not_leader:
      return {"NOT_LEADER",
              "another broker leads this partition (the message names it): refresh metadata and send there", true};
    case ErrorCode::leader_not_available:
      return {"LEADER_NOT_AVAILABLE",
              "the broker that holds this partition is down: retry when it is back (its data waits on its disk)",
              true};
    case ErrorCode::cluster_unavailable:
      return {"CLUSTER_UNAVAILABLE",
              "the cluster's metadata store (etcd) is unreachable or changing controller: topic admin waits for it; "
              "retry, and check etcd if it lasts (produce and fetch keep working)",
              true};
    case ErrorCode::invalid_replication_factor:
      return {"INVALID_REPLICATION_FACTOR",
              "the topic's replication.factor cannot be met (the message says why: more replicas than brokers "
              "alive, or a standalone broker): ask for fewer replicas or start more brokers",
              false};
    case ErrorCode::not_enough_replicas:
      return {"NOT_ENOUGH_REPLICAS",
              "the partition has fewer in-sync replicas than the topic's min.insync.replicas, so an acks=all write "
              "is refused before it is stored: retry when the replicas catch up, or lower min.insync.replicas",
              true};
    case ErrorCode::topic_being_deleted:
      return {"TOPIC_BEING_DELETED",
              "the topic is being deleted and its partitions are closing: retry in a moment, when the name is "
              "free (CreateTopic then succeeds and Metadata says UNKNOWN_TOPIC)",
              true};
  }
  return {"UNKNOWN_ERROR", "the broker sent an error code this client does not know: upgrade the client", false};
}

}  // namespace strata::protocol
