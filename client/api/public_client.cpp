// strata::Client (strata/client.h) over the library's client::Client. The
// library's errors are strata::Errors already (ClientError derives from
// it), so nothing here converts them.
#include "client/api/impl.h"

#include <limits>

namespace strata {

static_assert(kLatestOffset == protocol::kLatestTimestamp);
static_assert(kEarliestOffset == protocol::kEarliestTimestamp);
static_assert(kNoOffset == protocol::kNoOffset);

namespace {

std::vector<protocol::ConfigEntry> entries(const std::map<std::string, std::string>& configs) {
  std::vector<protocol::ConfigEntry> out;
  out.reserve(configs.size());
  for (const auto& [key, value] : configs) out.push_back({key, value});
  return out;
}

// `leaders`: one per partition in cluster mode, else empty.
TopicInfo topic_info(const protocol::TopicMetadata& t, const std::vector<std::int32_t>& leaders = {}) {
  TopicInfo info;
  info.name = t.name;
  info.being_deleted = t.error == protocol::ErrorCode::topic_being_deleted;
  info.partitions = static_cast<std::uint32_t>(t.partitions.size());
  for (std::size_t i = 0; i < t.partitions.size(); ++i) {
    const auto& p = t.partitions[i];
    PartitionInfo d{p.partition, p.log_start, p.log_end, p.size_bytes};
    if (i < leaders.size()) d.leader = leaders[i];
    d.error = static_cast<ErrorCode>(p.error);
    info.details.push_back(d);
    info.size_bytes += p.size_bytes;
  }
  return info;
}

}  // namespace

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() = default;

void Client::create_topic(const std::string& name, std::uint32_t partitions,
                          const std::map<std::string, std::string>& configs) {
  impl_->client.create_topic(name, partitions, entries(configs));
}

void Client::delete_topic(const std::string& name) { impl_->client.delete_topic(name); }

std::vector<TopicInfo> Client::list_topics() {
  std::vector<TopicInfo> out;
  for (const auto& t : impl_->client.metadata()) {
    if (t.error == protocol::ErrorCode::none || t.error == protocol::ErrorCode::topic_being_deleted) {
      out.push_back(topic_info(t));
    }
  }
  return out;
}

TopicInfo Client::describe_topic(const std::string& name) {
  const auto m = impl_->client.topic_from_leaders(name);
  const auto& topics = m.base.topics;
  if (topics.empty() || topics[0].error != protocol::ErrorCode::none) {
    const auto code = topics.empty() ? protocol::ErrorCode::unknown_topic : topics[0].error;
    throw client::ClientError::from_broker(code, code == protocol::ErrorCode::topic_being_deleted
                                                     ? "topic '" + name + "' is being deleted"
                                                     : "topic '" + name + "' does not exist");
  }
  return topic_info(topics[0], m.brokers.empty() || m.leaders.empty() ? std::vector<std::int32_t>{} : m.leaders[0]);
}

ClusterInfo Client::describe_cluster() {
  const auto m = impl_->client.cluster_metadata();
  ClusterInfo info;
  info.controller = m.controller;
  std::map<std::int32_t, std::uint32_t> led;
  for (const auto& topic : m.leaders) {
    for (const std::int32_t l : topic) ++led[l];
  }
  for (const auto& b : m.brokers) info.brokers.push_back({b.node_id, b.host, b.port, led[b.node_id]});
  if (!info.brokers.empty()) info.partitions_without_leader = led[-1];
  return info;
}

std::vector<PartitionRetention> Client::describe_retention(const std::string& topic) {
  static const char* const kReasons[] = {"active_segment", "time", "size", "future_timestamp", "forever", "due"};
  std::vector<PartitionRetention> out;
  for (const auto& p : impl_->client.describe_retention(topic)) {
    PartitionRetention r;
    r.partition = p.partition;
    r.oldest_base_offset = p.oldest_base_offset;
    r.oldest_size_bytes = p.oldest_size_bytes;
    if (p.oldest_max_timestamp != std::numeric_limits<std::int64_t>::min()) r.oldest_max_timestamp = p.oldest_max_timestamp;
    r.segments = p.segments;
    const auto reason = static_cast<std::size_t>(p.reason);
    r.reason = reason < std::size(kReasons) ? kReasons[reason] : "unknown";
    if (p.reason_time >= 0) r.reason_time = p.reason_time;
    r.reason_text = p.reason_text;
    out.push_back(std::move(r));
  }
  return out;
}

std::map<std::string, std::string> Client::describe_configs(const std::string& topic) {
  std::map<std::string, std::string> out;
  for (auto& e : impl_->client.describe_configs(topic)) out.emplace(std::move(e.key), std::move(e.value));
  return out;
}

void Client::alter_configs(const std::string& topic, const std::map<std::string, std::string>& configs) {
  impl_->client.alter_configs(topic, entries(configs));
}

std::int64_t Client::list_offset(const std::string& topic, std::uint32_t partition, std::int64_t timestamp) {
  return impl_->client.list_offset(topic, partition, timestamp);
}

std::uint32_t Client::partition_count(const std::string& topic, bool refresh) {
  return impl_->client.partition_count(topic, refresh);
}

void Client::check_partition(const std::string& topic, std::uint32_t partition) {
  impl_->client.check_partition(topic, partition);
}

const ClientOptions& Client::options() const noexcept { return impl_->client.options(); }

}  // namespace strata
