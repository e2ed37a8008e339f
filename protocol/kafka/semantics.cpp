#include "protocol/kafka/semantics.h"

#include "protocol/kafka/fetch.h"
#include "protocol/kafka/produce.h"
#include "protocol/record_batch.h"

namespace strata::kafka {

std::optional<protocol::Acks> strata_acks(std::int16_t kafka_acks) noexcept {
  switch (kafka_acks) {
    case 0: return protocol::Acks::none;
    case 1: return protocol::Acks::leader;
    case -1: return protocol::Acks::durable;
    default: return std::nullopt;
  }
}

KafkaError produce_compression_check(std::int16_t produce_version, protocol::Compression c) noexcept {
  if (c == protocol::Compression::zstd && produce_version < kFirstZstdProduceVersion) {
    return KafkaError::unsupported_compression_type;
  }
  return KafkaError::none;
}

bool fetch_may_return(std::int16_t fetch_version, protocol::Compression c) noexcept {
  return c != protocol::Compression::zstd || fetch_version >= kFirstZstdFetchVersion;
}

bool contains_zstd_batch(protocol::Bytes records) noexcept {
  while (records.size() >= protocol::batch_layout::kHeaderSize) {
    auto h = protocol::decode_header(records);
    if (!h || h.value().total_size() > records.size()) return false;
    if (h.value().compression() == protocol::Compression::zstd) return true;
    records = records.subspan(h.value().total_size());
  }
  return false;
}

}  // namespace strata::kafka
