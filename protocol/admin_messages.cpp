#include "protocol/admin_messages.h"

#include "protocol/wire_coding.h"

namespace strata::protocol {
namespace {


void write_configs(ByteWriter& w, const std::vector<ConfigEntry>& configs) {
  write_array(w, configs, [](ByteWriter& out, const ConfigEntry& c) {
    out.string(c.key);
    out.string(c.value);
  });
}
std::vector<ConfigEntry> read_configs(ByteReader& r) {
  return read_array<ConfigEntry>(r, 4, [](ByteReader& in) {
    ConfigEntry c;
    c.key = std::string(read_string(in));
    c.value = std::string(read_string(in));
    return c;
  });
}

}  // namespace

void ApiVersionsResponse::encode(ByteWriter& w) const {
  write_error(w, error);
  write_array(w, apis, [](ByteWriter& out, const ApiVersionRange& a) {
    out.fixed(static_cast<std::uint16_t>(a.api_key));
    out.fixed(a.min_version);
    out.fixed(a.max_version);
  });
}
ApiVersionsResponse ApiVersionsResponse::decode(ByteReader& r) {
  ApiVersionsResponse m;
  m.error = read_error(r);
  m.apis = read_array<ApiVersionRange>(r, 6, [](ByteReader& in) {
    ApiVersionRange a{};
    a.api_key = static_cast<ApiKey>(in.fixed<std::uint16_t>());
    a.min_version = in.fixed<std::uint16_t>();
    a.max_version = in.fixed<std::uint16_t>();
    return a;
  });
  return m;
}

void MetadataRequest::encode(ByteWriter& w) const {
  write_array(w, topics, [](ByteWriter& out, const std::string& t) { out.string(t); });
}
MetadataRequest MetadataRequest::decode(ByteReader& r) {
  MetadataRequest m;
  m.topics = read_array<std::string>(r, 2, [](ByteReader& in) { return std::string(read_string(in)); });
  return m;
}

void MetadataResponse::encode(ByteWriter& w) const {
  write_array(w, topics, [](ByteWriter& out, const TopicMetadata& t) {
    write_error(out, t.error);
    out.string(t.name);
    write_array(out, t.partitions, [](ByteWriter& o, const PartitionMetadata& p) {
      o.fixed(p.partition);
      write_error(o, p.error);
      o.fixed(p.log_start);
      o.fixed(p.log_end);
      o.fixed(p.size_bytes);
    });
  });
}
MetadataResponse MetadataResponse::decode(ByteReader& r) {
  MetadataResponse m;
  m.topics = read_array<TopicMetadata>(r, 8, [](ByteReader& in) {
    TopicMetadata t;
    t.error = read_error(in);
    t.name = std::string(read_string(in));
    t.partitions = read_array<PartitionMetadata>(in, 30, [](ByteReader& i) {
      PartitionMetadata p;
      p.partition = i.fixed<std::uint32_t>();
      p.error = read_error(i);
      p.log_start = i.fixed<std::uint64_t>();
      p.log_end = i.fixed<std::uint64_t>();
      p.size_bytes = i.fixed<std::uint64_t>();
      return p;
    });
    return t;
  });
  return m;
}

void StatusResponse::encode(ByteWriter& w) const {
  write_error(w, error);
  w.string(message);
}
StatusResponse StatusResponse::decode(ByteReader& r) {
  StatusResponse m;
  m.error = read_error(r);
  m.message = std::string(read_string(r));
  return m;
}

void CreateTopicRequest::encode(ByteWriter& w) const {
  w.string(name);
  w.fixed(partitions);
  write_configs(w, configs);
}
CreateTopicRequest CreateTopicRequest::decode(ByteReader& r) {
  CreateTopicRequest m;
  m.name = std::string(read_string(r));
  m.partitions = r.fixed<std::uint32_t>();
  m.configs = read_configs(r);
  return m;
}

void TopicRequest::encode(ByteWriter& w) const { w.string(name); }
TopicRequest TopicRequest::decode(ByteReader& r) {
  TopicRequest m;
  m.name = std::string(read_string(r));
  return m;
}

void DescribeConfigsResponse::encode(ByteWriter& w) const {
  write_error(w, error);
  w.string(message);
  write_configs(w, configs);
}
DescribeConfigsResponse DescribeConfigsResponse::decode(ByteReader& r) {
  DescribeConfigsResponse m;
  m.error = read_error(r);
  m.message = std::string(read_string(r));
  m.configs = read_configs(r);
  return m;
}

void AlterConfigsRequest::encode(ByteWriter& w) const {
  w.string(name);
  write_configs(w, configs);
}
AlterConfigsRequest AlterConfigsRequest::decode(ByteReader& r) {
  AlterConfigsRequest m;
  m.name = std::string(read_string(r));
  m.configs = read_configs(r);
  return m;
}

}  // namespace strata::protocol
