// Kafka's rules the front door applies between decoding a request and
// calling the service: acks, and which compression each version may carry.
// Pure functions; the front door turns a refusal into the partition's error.
#pragma once

#include <cstdint>
#include <optional>

#include "protocol/byte_io.h"
#include "protocol/compression.h"
#include "protocol/data_messages.h"
#include "protocol/kafka/error_code.h"

namespace strata::kafka {

// Kafka's acks 0, 1 and -1 as strata's none, leader and all (in standalone
// mode `all` is `durable`); any other value is nullopt, answered
// INVALID_REQUIRED_ACKS.
[[nodiscard]] std::optional<protocol::Acks> strata_acks(std::int16_t kafka_acks) noexcept;

// zstd batches may be produced only with Produce v7+ (KIP-110); older
// versions get UNSUPPORTED_COMPRESSION_TYPE. NONE otherwise.
[[nodiscard]] KafkaError produce_compression_check(std::int16_t produce_version, protocol::Compression c) noexcept;

// Whether a Fetch of this version may return a batch of this codec: zstd
// only to v10+ (an older fetch of a zstd batch gets UNSUPPORTED_COMPRESSION_TYPE).
[[nodiscard]] bool fetch_may_return(std::int16_t fetch_version, protocol::Compression c) noexcept;

// Whether any whole batch in `records` (stored batches, back to back) is
// zstd-compressed. Stops at the first batch header that does not fit.
[[nodiscard]] bool contains_zstd_batch(protocol::Bytes records) noexcept;

}  // namespace strata::kafka
