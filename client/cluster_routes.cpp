#include "client/cluster_routes.h"

namespace strata::client {

std::string endpoint_address(const protocol::BrokerEndpoint& b) {
  const std::string host = b.host.find(':') != std::string::npos ? "[" + b.host + "]" : b.host;
  return host + ":" + std::to_string(b.port);
}

void ClusterRoutes::update(const protocol::MetadataResponseV1& m) {
  std::lock_guard lock(mu_);
  updated_ = true;
  brokers_.clear();
  for (const auto& b : m.brokers) brokers_[b.node_id] = endpoint_address(b);
  // A connection to a broker that left, or moved, is closed when unused.
  std::erase_if(connections_, [this](const auto& kv) {
    const auto it = brokers_.find(kv.first);
    return it == brokers_.end() || it->second != kv.second->address();
  });
  for (std::size_t i = 0; i < m.base.topics.size() && i < m.leaders.size(); ++i) {
    const auto& t = m.base.topics[i];
    if (t.error == protocol::ErrorCode::none) {
      // A partition whose leader went away (-1) remembers the last one
      // seen: with one replica its data waits on that broker.
      auto& last = last_leaders_[t.name];
      last.resize(m.leaders[i].size(), -1);
      for (std::size_t p = 0; p < m.leaders[i].size(); ++p) {
        if (m.leaders[i][p] >= 0) last[p] = m.leaders[i][p];
      }
      leaders_[t.name] = m.leaders[i];
    } else {
      leaders_.erase(t.name);
      last_leaders_.erase(t.name);
    }
  }
}

std::optional<bool> ClusterRoutes::clustered() const {
  std::lock_guard lock(mu_);
  if (!updated_) return std::nullopt;
  return !brokers_.empty();
}

std::optional<std::int32_t> ClusterRoutes::leader(const std::string& topic, std::uint32_t partition) const {
  std::lock_guard lock(mu_);
  const auto it = leaders_.find(topic);
  if (it == leaders_.end() || partition >= it->second.size() || it->second[partition] < 0) return std::nullopt;
  return it->second[partition];
}

void ClusterRoutes::forget(const std::string& topic) {
  std::lock_guard lock(mu_);
  leaders_.erase(topic);
}

std::string ClusterRoutes::address_of(std::int32_t node) const {
  std::lock_guard lock(mu_);
  const auto it = brokers_.find(node);
  return it == brokers_.end() ? std::string{} : it->second;
}

std::vector<std::string> ClusterRoutes::addresses() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [node, address] : brokers_) out.push_back(address);
  return out;
}

std::shared_ptr<Connection> ClusterRoutes::connection_to(std::int32_t node) {
  std::string address;
  {
    std::lock_guard lock(mu_);
    const auto b = brokers_.find(node);
    if (b == brokers_.end()) return nullptr;
    const auto c = connections_.find(node);
    if (c != connections_.end() && c->second->healthy()) return c->second;
    address = b->second;
  }
  // Connected without the lock: a reply callback that forgets a topic's
  // leaders must not wait for a connect to another broker.
  auto opened = Connection::open(address, connect_timeout_ms_, client_id_);
  std::lock_guard lock(mu_);
  const auto b = brokers_.find(node);
  if (b == brokers_.end() || b->second != address) return opened;  // moved meanwhile: used once, not kept
  auto& c = connections_[node];
  if (c && c->healthy()) return c;  // another thread connected first: one connection per broker
  c = std::move(opened);
  return c;
}

std::optional<std::int32_t> ClusterRoutes::last_leader(const std::string& topic, std::uint32_t partition) const {
  std::lock_guard lock(mu_);
  const auto it = last_leaders_.find(topic);
  if (it == last_leaders_.end() || partition >= it->second.size() || it->second[partition] < 0) return std::nullopt;
  return it->second[partition];
}

}  // namespace strata::client
