// strata::Client (strata/client.h) over the library's client::Client. The
// library's errors are strata::Errors already (ClientError derives from
// it), so nothing here converts them.
#include "client/api/impl.h"

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
    if (t.error == protocol::ErrorCode::none) out.push_back({t.name, static_cast<std::uint32_t>(t.partitions.size())});
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
