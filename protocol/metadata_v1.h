// Metadata version 1 (API 4; issue 17, cluster mode): version 0's response
// body unchanged, followed by who serves what, so a client can route each
// partition to its leader:
//
//   brokers      array of {i32 node_id, string host, u16 port}   (live brokers)
//   controller   i32 node id (-1: none known, or standalone)
//   leaders      array, one per topic of the v0 part in its order, each an
//                array of i32 leader node ids, one per partition in order
//                (-1: no leader now)
//
// The request is version 0's. A standalone broker answers version 1 with
// no brokers, controller -1 and every leader -1 (the broker asked serves
// every partition).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/admin_messages.h"

namespace strata::protocol {

struct BrokerEndpoint {
  std::int32_t node_id = 0;
  std::string host;
  std::uint16_t port = 0;
  bool operator==(const BrokerEndpoint&) const = default;
};

struct MetadataResponseV1 {
  MetadataResponse base;  // version 0's part
  std::vector<BrokerEndpoint> brokers;
  std::int32_t controller = -1;
  std::vector<std::vector<std::int32_t>> leaders;  // [topic][partition], parallel to base.topics
  void encode(ByteWriter& w) const;
  // Fails the reader when leaders does not match base's topics and partitions.
  static MetadataResponseV1 decode(ByteReader& r);
};

}  // namespace strata::protocol
