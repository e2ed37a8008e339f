#include "protocol/kafka/error_code.h"

namespace strata::kafka {

std::string_view kafka_error_name(KafkaError e) noexcept {
  switch (e) {
    case KafkaError::unknown_server_error: return "UNKNOWN_SERVER_ERROR";
    case KafkaError::none: return "NONE";
    case KafkaError::offset_out_of_range: return "OFFSET_OUT_OF_RANGE";
    case KafkaError::corrupt_message: return "CORRUPT_MESSAGE";
    case KafkaError::unknown_topic_or_partition: return "UNKNOWN_TOPIC_OR_PARTITION";
    case KafkaError::invalid_fetch_size: return "INVALID_FETCH_SIZE";
    case KafkaError::leader_not_available: return "LEADER_NOT_AVAILABLE";
    case KafkaError::not_leader_or_follower: return "NOT_LEADER_OR_FOLLOWER";
    case KafkaError::request_timed_out: return "REQUEST_TIMED_OUT";
    case KafkaError::broker_not_available: return "BROKER_NOT_AVAILABLE";
    case KafkaError::message_too_large: return "MESSAGE_TOO_LARGE";
    case KafkaError::network_exception: return "NETWORK_EXCEPTION";
    case KafkaError::coordinator_load_in_progress: return "COORDINATOR_LOAD_IN_PROGRESS";
    case KafkaError::coordinator_not_available: return "COORDINATOR_NOT_AVAILABLE";
    case KafkaError::not_coordinator: return "NOT_COORDINATOR";
    case KafkaError::invalid_topic_exception: return "INVALID_TOPIC_EXCEPTION";
    case KafkaError::record_list_too_large: return "RECORD_LIST_TOO_LARGE";
    case KafkaError::not_enough_replicas: return "NOT_ENOUGH_REPLICAS";
    case KafkaError::not_enough_replicas_after_append: return "NOT_ENOUGH_REPLICAS_AFTER_APPEND";
    case KafkaError::invalid_required_acks: return "INVALID_REQUIRED_ACKS";
    case KafkaError::cluster_authorization_failed: return "CLUSTER_AUTHORIZATION_FAILED";
    case KafkaError::invalid_timestamp: return "INVALID_TIMESTAMP";
    case KafkaError::unsupported_version: return "UNSUPPORTED_VERSION";
    case KafkaError::topic_already_exists: return "TOPIC_ALREADY_EXISTS";
    case KafkaError::invalid_partitions: return "INVALID_PARTITIONS";
    case KafkaError::invalid_replication_factor: return "INVALID_REPLICATION_FACTOR";
    case KafkaError::invalid_replica_assignment: return "INVALID_REPLICA_ASSIGNMENT";
    case KafkaError::invalid_config: return "INVALID_CONFIG";
    case KafkaError::not_controller: return "NOT_CONTROLLER";
    case KafkaError::invalid_request: return "INVALID_REQUEST";
    case KafkaError::unsupported_for_message_format: return "UNSUPPORTED_FOR_MESSAGE_FORMAT";
    case KafkaError::policy_violation: return "POLICY_VIOLATION";
    case KafkaError::out_of_order_sequence_number: return "OUT_OF_ORDER_SEQUENCE_NUMBER";
    case KafkaError::duplicate_sequence_number: return "DUPLICATE_SEQUENCE_NUMBER";
    case KafkaError::invalid_producer_epoch: return "INVALID_PRODUCER_EPOCH";
    case KafkaError::invalid_txn_state: return "INVALID_TXN_STATE";
    case KafkaError::invalid_producer_id_mapping: return "INVALID_PRODUCER_ID_MAPPING";
    case KafkaError::invalid_transaction_timeout: return "INVALID_TRANSACTION_TIMEOUT";
    case KafkaError::transactional_id_authorization_failed: return "TRANSACTIONAL_ID_AUTHORIZATION_FAILED";
    case KafkaError::kafka_storage_error: return "KAFKA_STORAGE_ERROR";
    case KafkaError::unknown_producer_id: return "UNKNOWN_PRODUCER_ID";
    case KafkaError::topic_deletion_disabled: return "TOPIC_DELETION_DISABLED";
    case KafkaError::unsupported_compression_type: return "UNSUPPORTED_COMPRESSION_TYPE";
    case KafkaError::invalid_record: return "INVALID_RECORD";
    case KafkaError::throttling_quota_exceeded: return "THROTTLING_QUOTA_EXCEEDED";
    case KafkaError::producer_fenced: return "PRODUCER_FENCED";
  }
  return "UNKNOWN";
}

}  // namespace strata::kafka
