// strata's error codes (protocol/error_code.h) as Kafka error codes: the
// Kafka front door answers every failure with the Kafka code whose client
// behaviour (retry, refresh metadata, give up) matches strata's meaning.
// The switch names every strata code, so a new one does not compile until
// it is mapped here.
#pragma once

#include "protocol/error_code.h"
#include "protocol/kafka/api_table.h"
#include "protocol/kafka/error_code.h"

namespace strata::kafka {

// `api` is the Kafka API being answered: a few codes mean different things
// per API (a topic being deleted is TOPIC_ALREADY_EXISTS to CreateTopics, as
// in Kafka, and UNKNOWN_TOPIC_OR_PARTITION to everything else).
[[nodiscard]] KafkaError to_kafka_error(protocol::ErrorCode code, ApiKey api) noexcept;

}  // namespace strata::kafka
