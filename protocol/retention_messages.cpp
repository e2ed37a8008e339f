#include "protocol/retention_messages.h"

#include "protocol/wire_coding.h"

namespace strata::protocol {

namespace {
// u32 + u16 + u64 + u64 + i64 + u64 + u8 + i64 + string (u16 length).
constexpr std::size_t kMinPartitionBytes = 4 + 2 + 8 + 8 + 8 + 8 + 1 + 8 + 2;
}  // namespace

void DescribeRetentionResponse::encode(ByteWriter& w) const {
  write_error(w, error);
  w.string(message);
  write_array(w, partitions, [](ByteWriter& o, const PartitionRetention& p) {
    o.fixed(p.partition);
    write_error(o, p.error);
    o.fixed(p.oldest_base_offset);
    o.fixed(p.oldest_size_bytes);
    o.fixed(p.oldest_max_timestamp);
    o.fixed(p.segments);
    o.fixed(static_cast<std::uint8_t>(p.reason));
    o.fixed(p.reason_time);
    o.string(p.reason_text);
  });
}

DescribeRetentionResponse DescribeRetentionResponse::decode(ByteReader& r) {
  DescribeRetentionResponse m;
  m.error = read_error(r);
  m.message = std::string(read_string(r));
  m.partitions = read_array<PartitionRetention>(r, kMinPartitionBytes, [](ByteReader& in) {
    PartitionRetention p;
    p.partition = in.fixed<std::uint32_t>();
    p.error = read_error(in);
    p.oldest_base_offset = in.fixed<std::uint64_t>();
    p.oldest_size_bytes = in.fixed<std::uint64_t>();
    p.oldest_max_timestamp = in.fixed<std::int64_t>();
    p.segments = in.fixed<std::uint64_t>();
    const auto reason = in.fixed<std::uint8_t>();
    if (reason > kLastRetentionReason) (void)in.bytes(in.remaining() + 1);  // unknown: malformed
    p.reason = static_cast<RetentionReason>(reason);
    p.reason_time = in.fixed<std::int64_t>();
    p.reason_text = std::string(read_string(in));
    return p;
  });
  return m;
}

}  // namespace strata::protocol
