// Metadata version 2's response (protocol/metadata_v2.h): round trip after
// version 1's part, and replica lists that do not match the topics, or
// whose counts lie, are refused.
#include <doctest/doctest.h>

#include "protocol/metadata_v2.h"

namespace strata::protocol {

namespace {

MetadataResponseV2 sample() {
  MetadataResponseV2 m;
  m.v1.base.topics.push_back(
      {ErrorCode::none, "orders", {{0, ErrorCode::none, 0, 5, 100}, {1, ErrorCode::leader_not_available, 0, 0, 0}}});
  m.v1.brokers = {{1, "127.0.0.1", 9101}, {2, "127.0.0.1", 9102}, {3, "127.0.0.1", 9103}};
  m.v1.controller = 2;
  m.v1.leaders = {{1, -1}};
  m.replicas = {{{{1, 2, 3}, {1, 3}, 4}, {{2, 3, 1}, {2}, 7}}};
  return m;
}

std::vector<std::uint8_t> bytes_of(const MetadataResponseV2& m) {
  ByteWriter w;
  m.encode(w);
  return w.take();
}

}  // namespace

TEST_CASE("metadata v2: each partition's replicas, ISR and leader epoch round-trip after version 1's part") {
  const auto bytes = bytes_of(sample());
  ByteReader r(bytes);
  const MetadataResponseV2 back = MetadataResponseV2::decode(r);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
  const MetadataResponseV2 want = sample();
  CHECK(back.v1.base.topics == want.v1.base.topics);
  CHECK(back.v1.brokers == want.v1.brokers);
  CHECK(back.v1.leaders == want.v1.leaders);
  CHECK(back.replicas == want.replicas);
  // Version 1's decoder reads the same bytes' first part unchanged.
  ByteReader r1(bytes);
  CHECK(MetadataResponseV1::decode(r1).leaders == want.v1.leaders);
  CHECK(r1.ok());
}

TEST_CASE("metadata v2: replica lists that do not match the partitions fail the decode") {
  MetadataResponseV2 m = sample();
  m.replicas[0].pop_back();  // one entry for two partitions
  const auto bytes = bytes_of(m);
  ByteReader r(bytes);
  (void)MetadataResponseV2::decode(r);
  CHECK_FALSE(r.ok());
}

TEST_CASE("metadata v2: a lying count fails the decode without reading past the end") {
  auto bytes = bytes_of(sample());
  // The last partition's leader epoch is the last 4 bytes; before it the
  // ISR {2}: count 1 then one id. Claim a million ISR members instead.
  const std::size_t isr_count_at = bytes.size() - 4 - 4 - 4;
  bytes[isr_count_at] = 0x40;
  bytes[isr_count_at + 1] = 0x42;
  bytes[isr_count_at + 2] = 0x0f;
  ByteReader r(bytes);
  (void)MetadataResponseV2::decode(r);
  CHECK_FALSE(r.ok());
}

}  // namespace strata::protocol
