// Kafka's acks and per-version compression rules (protocol/kafka/semantics.h).
#include <doctest/doctest.h>

#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/kafka/semantics.h"
#include "protocol/record.h"

namespace strata::kafka::test {
namespace {

using protocol::Compression;

std::vector<std::uint8_t> batch(Compression c) {
  protocol::BatchBuilder b(c);
  b.add(1'700'000'000'000, protocol::as_bytes("k"), protocol::as_bytes("value value value"));
  return b.finish();
}

TEST_CASE("kafka acks 0, 1, -1 are none, leader, durable, and anything else is refused") {
  CHECK(strata_acks(0) == protocol::Acks::none);
  CHECK(strata_acks(1) == protocol::Acks::leader);
  CHECK(strata_acks(-1) == protocol::Acks::durable);
  CHECK_FALSE(strata_acks(2).has_value());
  CHECK_FALSE(strata_acks(-2).has_value());
}

TEST_CASE("kafka zstd: produced only with Produce v7+, returned only to Fetch v10+") {
  CHECK(produce_compression_check(6, Compression::zstd) == KafkaError::unsupported_compression_type);
  CHECK(produce_compression_check(7, Compression::zstd) == KafkaError::none);
  CHECK(produce_compression_check(3, Compression::lz4) == KafkaError::none);
  CHECK_FALSE(fetch_may_return(9, Compression::zstd));
  CHECK(fetch_may_return(10, Compression::zstd));
  CHECK(fetch_may_return(4, Compression::gzip));
}

TEST_CASE("kafka zstd: found in any batch of a stored range, not past a cut header") {
  std::vector<std::uint8_t> records = batch(Compression::none);
  const std::vector<std::uint8_t> lz4 = batch(Compression::lz4);
  records.insert(records.end(), lz4.begin(), lz4.end());
  CHECK_FALSE(contains_zstd_batch({records.data(), records.size()}));
  const std::vector<std::uint8_t> zstd = batch(Compression::zstd);
  records.insert(records.end(), zstd.begin(), zstd.end());
  CHECK(contains_zstd_batch({records.data(), records.size()}));
  CHECK_FALSE(contains_zstd_batch({records.data(), records.size() - zstd.size() + 20}));
  CHECK_FALSE(contains_zstd_batch({}));
}

}  // namespace
}  // namespace strata::kafka::test
