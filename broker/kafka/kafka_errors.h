// The service's errors (broker::Errc) as Kafka error codes: the Kafka front
// door's one place for them, as native/wire_errors.cpp is strata's. Each
// Errc gets the Kafka code whose client behaviour (retry, refresh metadata,
// give up) matches its meaning. The switch names every Errc, so a new one
// does not compile until it is mapped here. Pure; no Asio.
#pragma once

#include "broker/core/status.h"
#include "protocol/kafka/api_table.h"
#include "protocol/kafka/error_code.h"

namespace strata::broker::kafka {

// `api` is the Kafka API being answered: a topic being deleted is
// TOPIC_ALREADY_EXISTS to CreateTopics (as in Kafka) and
// UNKNOWN_TOPIC_OR_PARTITION to everything else.
[[nodiscard]] strata::kafka::KafkaError to_kafka_error(Errc code, strata::kafka::ApiKey api) noexcept;

}  // namespace strata::broker::kafka
