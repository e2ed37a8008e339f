#include "protocol/kafka/error_mapping.h"

namespace strata::kafka {

KafkaError to_kafka_error(protocol::ErrorCode code, ApiKey api) noexcept {
  using protocol::ErrorCode;
  switch (code) {
    case ErrorCode::none: return KafkaError::none;
    case ErrorCode::unknown_topic:
    case ErrorCode::unknown_partition: return KafkaError::unknown_topic_or_partition;
    case ErrorCode::offset_out_of_range: return KafkaError::offset_out_of_range;
    case ErrorCode::corrupt_batch: return KafkaError::corrupt_message;
    // Kafka: MESSAGE_TOO_LARGE for a batch over the topic's max.message.bytes.
    case ErrorCode::batch_too_large: return KafkaError::message_too_large;
    case ErrorCode::frame_too_large: return KafkaError::record_list_too_large;
    case ErrorCode::invalid_request:
    case ErrorCode::unsupported_api: return KafkaError::invalid_request;
    case ErrorCode::unsupported_version: return KafkaError::unsupported_version;
    case ErrorCode::topic_exists: return KafkaError::topic_already_exists;
    case ErrorCode::invalid_topic: return KafkaError::invalid_topic_exception;
    case ErrorCode::invalid_config: return KafkaError::invalid_config;
    case ErrorCode::invalid_partitions: return KafkaError::invalid_partitions;
    // Retriable in Kafka's clients, as in strata: the disk may recover.
    case ErrorCode::not_enough_space:
    case ErrorCode::storage_error:
    case ErrorCode::too_many_open_files: return KafkaError::kafka_storage_error;
    case ErrorCode::request_timed_out: return KafkaError::request_timed_out;
    // Retriable, and makes the client refresh metadata and reconnect.
    case ErrorCode::broker_shutting_down: return KafkaError::leader_not_available;
    // No per-request Kafka code: the connection is refused before any request.
    case ErrorCode::too_many_connections: return KafkaError::unknown_server_error;
    case ErrorCode::out_of_order_sequence: return KafkaError::out_of_order_sequence_number;
    // An idempotent (non-transactional) producer's stale epoch: Kafka answers
    // INVALID_PRODUCER_EPOCH; PRODUCER_FENCED is for transactional ids.
    case ErrorCode::producer_fenced: return KafkaError::invalid_producer_epoch;
    case ErrorCode::unknown_producer_id: return KafkaError::unknown_producer_id;
    case ErrorCode::invalid_timestamp: return KafkaError::invalid_timestamp;
    case ErrorCode::topic_being_deleted:
      return api == ApiKey::create_topics ? KafkaError::topic_already_exists
                                          : KafkaError::unknown_topic_or_partition;
  }
  return KafkaError::unknown_server_error;
}

}  // namespace strata::kafka
