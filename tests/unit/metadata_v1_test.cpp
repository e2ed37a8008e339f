// Metadata version 1's response (protocol/metadata_v1.h): round trip, and
// a leaders list that does not match the topics is refused.
#include <doctest/doctest.h>

#include "protocol/metadata_v1.h"

namespace strata::protocol {

namespace {

MetadataResponseV1 sample() {
  MetadataResponseV1 m;
  TopicMetadata t;
  t.name = "orders";
  t.partitions = {{0, ErrorCode::none, 0, 5, 100}, {1, ErrorCode::none, 0, 0, 0}};
  m.base.topics.push_back(t);
  m.brokers = {{1, "127.0.0.1", 9101}, {2, "::1", 9102}};
  m.controller = 2;
  m.leaders = {{1, -1}};
  return m;
}

}  // namespace

TEST_CASE("metadata v1: brokers, controller and leaders round-trip after version 0's body") {
  ByteWriter w;
  sample().encode(w);
  const auto bytes = w.take();
  ByteReader r(bytes);
  const MetadataResponseV1 back = MetadataResponseV1::decode(r);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
  const MetadataResponseV1 want = sample();
  CHECK(back.base.topics == want.base.topics);
  CHECK(back.brokers == want.brokers);
  CHECK(back.controller == want.controller);
  CHECK(back.leaders == want.leaders);
}

TEST_CASE("metadata v1: leaders that do not match the topics' partitions fail the decode") {
  MetadataResponseV1 m = sample();
  m.leaders = {{1}};  // one leader for two partitions
  ByteWriter w;
  m.encode(w);
  const auto bytes = w.take();
  ByteReader r(bytes);
  (void)MetadataResponseV1::decode(r);
  CHECK_FALSE(r.ok());
}

}  // namespace strata::protocol
