#include "protocol/metadata_v2.h"

#include "protocol/wire_coding.h"

namespace strata::protocol {

void MetadataResponseV2::encode(ByteWriter& w) const {
  v1.encode(w);
  write_array(w, replicas, [](ByteWriter& out, const std::vector<PartitionReplicas>& topic) {
    write_array(out, topic, [](ByteWriter& o, const PartitionReplicas& p) {
      write_i32_array(o, p.replicas);
      write_i32_array(o, p.isr);
      write_i32(o, p.leader_epoch);
    });
  });
}

MetadataResponseV2 MetadataResponseV2::decode(ByteReader& r) {
  MetadataResponseV2 m;
  m.v1 = MetadataResponseV1::decode(r);
  m.replicas = read_array<std::vector<PartitionReplicas>>(r, 4, [](ByteReader& in) {
    return read_array<PartitionReplicas>(in, 12, [](ByteReader& i) {
      PartitionReplicas p;
      p.replicas = read_i32_array(i);
      p.isr = read_i32_array(i);
      p.leader_epoch = read_i32(i);
      return p;
    });
  });
  const auto& topics = m.v1.base.topics;
  bool agrees = m.replicas.size() == topics.size();
  for (std::size_t t = 0; agrees && t < m.replicas.size(); ++t) {
    agrees = m.replicas[t].size() == topics[t].partitions.size();
  }
  if (!agrees) (void)r.bytes(r.remaining() + 1);  // mark the reader failed
  return m;
}

}  // namespace strata::protocol
