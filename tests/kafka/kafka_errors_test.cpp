// The Kafka front door's error mapping (broker/kafka/kafka_errors.h): each
// service error gets the Kafka code whose client behaviour matches.
#include <doctest/doctest.h>

#include "broker/kafka/kafka_errors.h"

namespace strata::broker::kafka {
namespace {

using strata::kafka::ApiKey;
using strata::kafka::KafkaError;

TEST_CASE("kafka errors: each service error gets the Kafka code clients treat the same way") {
  const auto produce = [](Errc e) { return to_kafka_error(e, ApiKey::produce); };
  CHECK(produce(Errc::none) == KafkaError::none);
  CHECK(produce(Errc::unknown_topic) == KafkaError::unknown_topic_or_partition);
  CHECK(produce(Errc::unknown_partition) == KafkaError::unknown_topic_or_partition);
  CHECK(produce(Errc::invalid_topic) == KafkaError::invalid_topic_exception);
  CHECK(produce(Errc::topic_exists) == KafkaError::topic_already_exists);
  CHECK(produce(Errc::invalid_partitions) == KafkaError::invalid_partitions);
  CHECK(produce(Errc::invalid_config) == KafkaError::invalid_config);
  CHECK(produce(Errc::offset_out_of_range) == KafkaError::offset_out_of_range);
  CHECK(produce(Errc::corrupt_batch) == KafkaError::corrupt_message);
  CHECK(produce(Errc::batch_too_large) == KafkaError::message_too_large);
  CHECK(produce(Errc::invalid_timestamp) == KafkaError::invalid_timestamp);
  CHECK(produce(Errc::out_of_order_sequence) == KafkaError::out_of_order_sequence_number);
  CHECK(produce(Errc::producer_fenced) == KafkaError::invalid_producer_epoch);
  CHECK(produce(Errc::unknown_producer_id) == KafkaError::unknown_producer_id);
  CHECK(produce(Errc::invalid_request) == KafkaError::invalid_request);
  CHECK(produce(Errc::not_enough_space) == KafkaError::kafka_storage_error);
  CHECK(produce(Errc::too_many_open_files) == KafkaError::kafka_storage_error);
  CHECK(produce(Errc::storage_error) == KafkaError::kafka_storage_error);
  CHECK(produce(Errc::response_too_large) == KafkaError::invalid_request);
}

TEST_CASE("kafka errors: a topic being deleted exists to CreateTopics and is unknown to the rest") {
  CHECK(to_kafka_error(Errc::topic_being_deleted, ApiKey::create_topics) == KafkaError::topic_already_exists);
  CHECK(to_kafka_error(Errc::topic_being_deleted, ApiKey::produce) == KafkaError::unknown_topic_or_partition);
  CHECK(to_kafka_error(Errc::topic_being_deleted, ApiKey::metadata) == KafkaError::unknown_topic_or_partition);
}

TEST_CASE("kafka errors: every service error maps to a named Kafka code, and only none to NONE") {
  for (int n = 0; n <= static_cast<int>(kLastErrc); ++n) {
    const auto code = static_cast<Errc>(n);
    CAPTURE(errc_name(code));
    const KafkaError k = to_kafka_error(code, ApiKey::fetch);
    CHECK(k != KafkaError::unknown_server_error);
    CHECK(strata::kafka::kafka_error_name(k) != "UNKNOWN");
    CHECK((k == KafkaError::none) == (code == Errc::none));
  }
}

}  // namespace
}  // namespace strata::broker::kafka
