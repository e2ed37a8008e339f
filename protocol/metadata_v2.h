// Metadata version 2 (API 1; issue 18, replicated partitions): version 1's
// response unchanged, followed by each partition's replicas, so a client
// can show them and tell an under-replicated partition:
//
//   replicas   array, one per topic of the v0 part in its order, each an
//              array, one per partition in order, of
//                array<i32> replicas      node ids, the preferred leader first
//                array<i32> isr           the in-sync replicas (etcd's)
//                i32        leader_epoch  -1: not known
//
// The request is version 0's. A standalone broker, and a cluster-mode
// partition whose state is not in etcd yet, answer empty lists and leader
// epoch -1.
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/metadata_v1.h"

namespace strata::protocol {

struct PartitionReplicas {
  std::vector<std::int32_t> replicas;
  std::vector<std::int32_t> isr;
  std::int32_t leader_epoch = -1;
  bool operator==(const PartitionReplicas&) const = default;
};

struct MetadataResponseV2 {
  MetadataResponseV1 v1;  // versions 0 and 1's part
  std::vector<std::vector<PartitionReplicas>> replicas;  // [topic][partition], parallel to v1.base.topics
  void encode(ByteWriter& w) const;
  // Fails the reader when replicas does not match the topics and partitions.
  static MetadataResponseV2 decode(ByteReader& r);
};

}  // namespace strata::protocol
