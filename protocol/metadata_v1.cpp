#include "protocol/metadata_v1.h"

#include "protocol/wire_coding.h"

namespace strata::protocol {

void MetadataResponseV1::encode(ByteWriter& w) const {
  base.encode(w);
  write_array(w, brokers, [](ByteWriter& out, const BrokerEndpoint& b) {
    write_i32(out, b.node_id);
    out.string(b.host);
    out.fixed(b.port);
  });
  write_i32(w, controller);
  write_array(w, leaders, [](ByteWriter& out, const std::vector<std::int32_t>& topic) { write_i32_array(out, topic); });
}

MetadataResponseV1 MetadataResponseV1::decode(ByteReader& r) {
  MetadataResponseV1 m;
  m.base = MetadataResponse::decode(r);
  m.brokers = read_array<BrokerEndpoint>(r, 8, [](ByteReader& in) {
    BrokerEndpoint b;
    b.node_id = read_i32(in);
    b.host = std::string(read_string(in));
    b.port = in.fixed<std::uint16_t>();
    return b;
  });
  m.controller = read_i32(r);
  m.leaders = read_array<std::vector<std::int32_t>>(r, 4, [](ByteReader& in) { return read_i32_array(in); });
  bool agrees = m.leaders.size() == m.base.topics.size();
  for (std::size_t t = 0; agrees && t < m.leaders.size(); ++t) {
    agrees = m.leaders[t].size() == m.base.topics[t].partitions.size();
  }
  if (!agrees) (void)r.bytes(r.remaining() + 1);  // mark the reader failed
  return m;
}

}  // namespace strata::protocol
