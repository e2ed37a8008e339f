#include "broker/kafka/kafka_errors.h"

namespace strata::broker::kafka {

using strata::kafka::ApiKey;
using strata::kafka::KafkaError;

KafkaError to_kafka_error(Errc code, ApiKey api) noexcept {
  switch (code) {
    case Errc::none: return KafkaError::none;
    case Errc::unknown_topic:
    case Errc::unknown_partition: return KafkaError::unknown_topic_or_partition;
    case Errc::invalid_topic: return KafkaError::invalid_topic_exception;
    case Errc::topic_exists: return KafkaError::topic_already_exists;
    case Errc::topic_being_deleted:
      return api == ApiKey::create_topics ? KafkaError::topic_already_exists
                                          : KafkaError::unknown_topic_or_partition;
    case Errc::invalid_partitions: return KafkaError::invalid_partitions;
    case Errc::invalid_config: return KafkaError::invalid_config;
    case Errc::offset_out_of_range: return KafkaError::offset_out_of_range;
    case Errc::corrupt_batch: return KafkaError::corrupt_message;
    // Kafka: MESSAGE_TOO_LARGE for a batch over the topic's max.message.bytes.
    case Errc::batch_too_large: return KafkaError::message_too_large;
    case Errc::invalid_timestamp: return KafkaError::invalid_timestamp;
    case Errc::out_of_order_sequence: return KafkaError::out_of_order_sequence_number;
    // An idempotent (non-transactional) producer's stale epoch: Kafka answers
    // INVALID_PRODUCER_EPOCH; PRODUCER_FENCED is for transactional ids.
    case Errc::producer_fenced: return KafkaError::invalid_producer_epoch;
    case Errc::unknown_producer_id: return KafkaError::unknown_producer_id;
    case Errc::invalid_request: return KafkaError::invalid_request;
    // Retriable in Kafka's clients, as in strata: the disk may recover.
    case Errc::not_enough_space:
    case Errc::too_many_open_files:
    case Errc::storage_error: return KafkaError::kafka_storage_error;
    // The answer would not fit a frame: the client must ask for less.
    case Errc::response_too_large: return KafkaError::invalid_request;
    case Errc::not_leader: return KafkaError::not_leader_or_follower;
    case Errc::leader_not_available: return KafkaError::leader_not_available;
    case Errc::cluster_unavailable: return KafkaError::request_timed_out;
    case Errc::invalid_replication_factor: return KafkaError::invalid_replication_factor;
    case Errc::not_enough_replicas: return KafkaError::not_enough_replicas;
  }
  return KafkaError::unknown_server_error;
}

}  // namespace strata::broker::kafka
