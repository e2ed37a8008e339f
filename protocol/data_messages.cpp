#include "protocol/data_messages.h"

#include <cassert>

#include "protocol/wire_coding.h"

namespace strata::protocol {
namespace {


// Every data-path message nests partitions inside topics.
template <typename Topic, typename Partition, typename DecodePartition>
std::vector<Topic> read_topics(ByteReader& r, std::size_t min_partition_bytes, DecodePartition decode_partition) {
  return read_array<Topic>(r, 6, [&](ByteReader& in) {
    Topic t;
    t.name = std::string(read_string(in));
    t.partitions = read_array<Partition>(in, min_partition_bytes, decode_partition);
    return t;
  });
}
template <typename Topic, typename EncodePartition>
void write_topics(ByteWriter& w, const std::vector<Topic>& topics, EncodePartition encode_partition) {
  write_array(w, topics, [&](ByteWriter& out, const Topic& t) {
    out.string(t.name);
    write_array(out, t.partitions, encode_partition);
  });
}

}  // namespace

void ProduceRequest::encode(ByteWriter& w) const {
  w.fixed(static_cast<std::uint8_t>(acks));
  w.fixed(timeout_ms);
  write_topics(w, topics, [](ByteWriter& out, const ProducePartition& p) {
    out.fixed(p.partition);
    out.blob(p.batch);
  });
}
ProduceRequest ProduceRequest::decode(ByteReader& r) {
  ProduceRequest m;
  const auto acks = r.fixed<std::uint8_t>();
  if (acks > static_cast<std::uint8_t>(Acks::durable)) (void)r.bytes(r.remaining() + 1);
  m.acks = static_cast<Acks>(acks);
  m.timeout_ms = r.fixed<std::uint32_t>();
  m.topics = read_topics<ProduceTopic, ProducePartition>(r, 8, [](ByteReader& in) {
    ProducePartition p;
    p.partition = in.fixed<std::uint32_t>();
    p.batch = read_blob(in);
    return p;
  });
  return m;
}

void ProduceResponse::encode(ByteWriter& w) const {
  write_topics(w, topics, [](ByteWriter& out, const ProducePartitionResult& p) {
    out.fixed(p.partition);
    write_error(out, p.error);
    out.fixed(p.base_offset);
    out.fixed(p.log_start);
    out.string(p.message);
  });
}
ProduceResponse ProduceResponse::decode(ByteReader& r) {
  ProduceResponse m;
  m.topics = read_topics<ProduceTopicResult, ProducePartitionResult>(r, 24, [](ByteReader& in) {
    ProducePartitionResult p;
    p.partition = in.fixed<std::uint32_t>();
    p.error = read_error(in);
    p.base_offset = in.fixed<std::uint64_t>();
    p.log_start = in.fixed<std::uint64_t>();
    p.message = std::string(read_string(in));
    return p;
  });
  return m;
}

void FetchRequest::encode(ByteWriter& w) const {
  w.fixed(max_wait_ms);
  w.fixed(min_bytes);
  w.fixed(max_bytes);
  write_topics(w, topics, [](ByteWriter& out, const FetchPartition& p) {
    out.fixed(p.partition);
    out.fixed(p.offset);
    out.fixed(p.max_bytes);
  });
}
FetchRequest FetchRequest::decode(ByteReader& r) {
  FetchRequest m;
  m.max_wait_ms = r.fixed<std::uint32_t>();
  m.min_bytes = r.fixed<std::uint32_t>();
  m.max_bytes = r.fixed<std::uint32_t>();
  m.topics = read_topics<FetchTopic, FetchPartition>(r, 16, [](ByteReader& in) {
    FetchPartition p;
    p.partition = in.fixed<std::uint32_t>();
    p.offset = in.fixed<std::uint64_t>();
    p.max_bytes = in.fixed<std::uint32_t>();
    return p;
  });
  return m;
}

void FetchPartitionHeader::encode(ByteWriter& w, std::uint32_t records_length) const {
  w.fixed(partition);
  write_error(w, error);
  w.fixed(log_start);
  w.fixed(log_end);
  w.fixed(records_length);
}
void FetchResponse::encode(ByteWriter& w) const {
  write_topics(w, topics, [](ByteWriter& out, const FetchPartitionResult& p) {
    p.header.encode(out, static_cast<std::uint32_t>(p.records.size()));
    out.raw(p.records);
  });
}
FetchResponse FetchResponse::decode(ByteReader& r) {
  FetchResponse m;
  m.topics = read_topics<FetchTopicResult, FetchPartitionResult>(r, 26, [](ByteReader& in) {
    FetchPartitionResult p;
    p.header.partition = in.fixed<std::uint32_t>();
    p.header.error = read_error(in);
    p.header.log_start = in.fixed<std::uint64_t>();
    p.header.log_end = in.fixed<std::uint64_t>();
    p.records = read_blob(in);
    return p;
  });
  return m;
}

void ListOffsetsRequest::encode(ByteWriter& w) const {
  write_topics(w, topics, [](ByteWriter& out, const ListOffsetsPartition& p) {
    out.fixed(p.partition);
    out.fixed(p.timestamp);
  });
}
ListOffsetsRequest ListOffsetsRequest::decode(ByteReader& r) {
  ListOffsetsRequest m;
  m.topics = read_topics<ListOffsetsTopic, ListOffsetsPartition>(r, 12, [](ByteReader& in) {
    ListOffsetsPartition p;
    p.partition = in.fixed<std::uint32_t>();
    p.timestamp = in.fixed<std::int64_t>();
    return p;
  });
  return m;
}

void ListOffsetsResponse::encode(ByteWriter& w) const {
  write_topics(w, topics, [](ByteWriter& out, const ListOffsetsPartitionResult& p) {
    out.fixed(p.partition);
    write_error(out, p.error);
    out.fixed(p.offset);
  });
}
ListOffsetsResponse ListOffsetsResponse::decode(ByteReader& r) {
  ListOffsetsResponse m;
  m.topics = read_topics<ListOffsetsTopicResult, ListOffsetsPartitionResult>(r, 14, [](ByteReader& in) {
    ListOffsetsPartitionResult p;
    p.partition = in.fixed<std::uint32_t>();
    p.error = read_error(in);
    p.offset = in.fixed<std::int64_t>();
    return p;
  });
  return m;
}

MutableBytes mutable_view(MutableBytes owner, Bytes view) noexcept {
  const auto at = static_cast<std::size_t>(view.data() - owner.data());
  assert(view.data() >= owner.data() && at + view.size() <= owner.size());
  return owner.subspan(at, view.size());
}

}  // namespace strata::protocol
