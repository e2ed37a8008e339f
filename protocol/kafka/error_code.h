// Apache Kafka's error codes (the int16 "ErrorCode" of every response), by
// Kafka's own numbers: only the ones strata's Kafka front door answers with.
// A Kafka client maps each number to its own exception and retry policy, so
// the numbers must never be changed.
#pragma once

#include <cstdint>
#include <string_view>

namespace strata::kafka {

enum class KafkaError : std::int16_t {
  unknown_server_error = -1,
  none = 0,
  offset_out_of_range = 1,
  corrupt_message = 2,
  unknown_topic_or_partition = 3,
  invalid_fetch_size = 4,
  leader_not_available = 5,
  not_leader_or_follower = 6,
  request_timed_out = 7,
  broker_not_available = 8,
  message_too_large = 10,
  network_exception = 13,
  coordinator_load_in_progress = 14,
  coordinator_not_available = 15,
  not_coordinator = 16,
  invalid_topic_exception = 17,
  record_list_too_large = 18,
  not_enough_replicas = 19,
  not_enough_replicas_after_append = 20,
  invalid_required_acks = 21,
  cluster_authorization_failed = 31,
  invalid_timestamp = 32,
  unsupported_version = 35,
  topic_already_exists = 36,
  invalid_partitions = 37,
  invalid_replication_factor = 38,
  invalid_replica_assignment = 39,
  invalid_config = 40,
  not_controller = 41,
  invalid_request = 42,
  unsupported_for_message_format = 43,
  policy_violation = 44,
  out_of_order_sequence_number = 45,
  duplicate_sequence_number = 46,
  invalid_producer_epoch = 47,
  invalid_txn_state = 48,
  invalid_producer_id_mapping = 49,
  invalid_transaction_timeout = 50,
  transactional_id_authorization_failed = 53,
  kafka_storage_error = 56,
  unknown_producer_id = 59,
  topic_deletion_disabled = 73,
  unsupported_compression_type = 76,
  invalid_record = 87,
  throttling_quota_exceeded = 89,
  producer_fenced = 90,
};

// Kafka's name for the code, e.g. "UNKNOWN_TOPIC_OR_PARTITION"; "UNKNOWN" for
// a number not in the enum.
[[nodiscard]] std::string_view kafka_error_name(KafkaError e) noexcept;

}  // namespace strata::kafka
