#include "broker/clustered/cluster_service.h"

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/partition_controller.h"
#include "broker/core/replication_config.h"
#include "protocol/topic_config_schema.h"

namespace strata::broker {

namespace {

using cluster::ClusterErrc;

// Runs `start(callback)` (which calls `callback(T)` once, on any thread)
// and resumes on the caller's executor with the value.
template <typename T, typename Start>
awaitable<T> from_cluster_thread(Start start) {
  auto init = [start = std::move(start)](auto handler) mutable {
    auto h = std::make_shared<decltype(handler)>(std::move(handler));
    start([h](T value) {
      auto ex = asio::get_associated_executor(*h);
      asio::post(ex, [h, value = std::move(value)]() mutable { (*h)(std::move(value)); });
    });
  };
  auto op = asio::async_initiate<decltype(asio::use_awaitable), void(T)>(std::move(init), asio::use_awaitable);
  T out = co_await std::move(op);
  co_return out;
}

std::string endpoint_text(const cluster::BrokerRegistration& b) {
  for (const auto& e : b.endpoints) {
    if (e.listener == "strata") return e.host + ":" + std::to_string(e.port);
  }
  return "?";
}

const cluster::VersionedPartitionState* find_state(
    const std::map<std::int32_t, cluster::VersionedPartitionState>& states, std::uint32_t partition) {
  const auto it = states.find(static_cast<std::int32_t>(partition));
  return it == states.end() ? nullptr : &it->second;
}

}  // namespace

Status cluster_status(std::error_code ec, const std::string& what) {
  if (!ec) return {};
  if (ec == ClusterErrc::topic_exists) return Status::error(Errc::topic_exists, what + ": the topic exists already");
  if (ec == ClusterErrc::unknown_topic) return Status::error(Errc::unknown_topic, what + ": no such topic");
  if (ec == ClusterErrc::bad_value) return Status::error(Errc::invalid_config, what + ": " + ec.message());
  if (ec == ClusterErrc::state_changed) {
    return Status::error(Errc::cluster_unavailable, what + ": another change to it landed at the same moment; retry");
  }
  if (ec == ClusterErrc::not_enough_brokers) {
    return Status::error(Errc::invalid_replication_factor, what + ": " + ec.message());
  }
  const std::string retry = cluster::is_retriable(ec) || ec == ClusterErrc::shut_down ? "; retry" : "";
  return Status::error(Errc::cluster_unavailable,
                       what + " needs the cluster's metadata store: " + ec.message() + retry);
}

ClusterService::ClusterService(Broker& broker, cluster::ClusterNode& node, std::shared_ptr<TopicSync> sync)
    : broker_(broker), node_(node), sync_(std::move(sync)) {}

awaitable<Status> ClusterService::create_topic(TopicSpec spec) {
  ReplicationChoice replication;
  const std::size_t live = node_.metadata()->brokers.size();
  if (Status bad = choose_replication(spec.configs, broker_.config(), live, replication); !bad.ok()) co_return bad;
  cluster::NewTopic topic{spec.name, static_cast<std::int32_t>(spec.partitions),
                          static_cast<std::int32_t>(replication.factor), {}};
  // The record keeps what every broker and the controller must agree on,
  // resolved here from this broker's defaults: min.insync.replicas and
  // unclean.leader.election.enable. The factor is the replica lists' length.
  const auto* unclean = protocol::find_topic_config(cluster::kUncleanElectionKey);
  topic.configs[std::string(unclean->key)] =
      protocol::format_topic_config(*unclean, broker_.config().topic_defaults.unclean_leader_election ? 1 : 0);
  for (auto& c : spec.configs) {
    if (c.key != "partitions" && c.key != "replication.factor") topic.configs[c.key] = c.value;
  }
  topic.configs["min.insync.replicas"] = std::to_string(replication.min_insync);
  cluster::ClusterNode& node = node_;
  auto start = [&node, topic = std::move(topic)](auto done) mutable {
    node.submit_create_topic(std::move(topic), std::move(done));
  };
  Result<cluster::TopicRecord> made = co_await from_cluster_thread<Result<cluster::TopicRecord>>(std::move(start));
  if (!made) co_return cluster_status(made.error(), "creating topic '" + spec.name + "'");
  co_await wait_applied(spec.name, cluster::uuid_text(made.value().topic_id));
  co_return Status{};
}

awaitable<Status> ClusterService::delete_topic(std::string name) {
  cluster::ClusterNode& node = node_;
  auto start = [&node, name](auto done) mutable { node.submit_delete_topic(name, std::move(done)); };
  const std::error_code ec = co_await from_cluster_thread<std::error_code>(std::move(start));
  if (ec) co_return cluster_status(ec, "deleting topic '" + name + "'");
  co_await wait_applied(name, {});
  co_return Status{};
}

awaitable<Status> ClusterService::alter_configs(std::string name, std::vector<ConfigSetting> configs) {
  std::map<std::string, std::string> changes;
  TopicPtr local = broker_.topics().find(name);
  TopicConfig check = local ? local->config : broker_.config().topic_defaults;
  for (auto& c : configs) {
    if (c.key == "partitions") {
      co_return Status::error(Errc::invalid_config,
                              "adding partitions is not supported in cluster mode yet: create a new topic");
    }
    if (auto err = set_topic_config(check, c.key, c.value, false)) co_return Status::error(Errc::invalid_config, *err);
    changes[c.key] = c.value;
  }
  const cluster::MetadataSnapshot m = node_.metadata();
  if (const auto t = m->topics.find(name); t != m->topics.end() && !t->second.replicas.empty()) {
    const auto factor = static_cast<std::uint32_t>(t->second.replicas.front().size());
    if (auto err = check_min_insync(check.min_insync_replicas, factor)) co_return Status::error(Errc::invalid_config, *err);
  }
  cluster::ClusterNode& node = node_;
  auto start = [&node, name, changes = std::move(changes)](auto done) mutable {
    node.submit_alter_configs(name, std::move(changes), std::move(done));
  };
  const std::error_code ec = co_await from_cluster_thread<std::error_code>(std::move(start));
  co_return cluster_status(ec, "altering topic '" + name + "'");
}

awaitable<void> ClusterService::wait_applied(std::string name, std::string id) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + kAppliedWait;
  while (sync_->verified_id(name) != id && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

ClusterSummary ClusterService::summary() const {
  const cluster::MetadataSnapshot m = node_.metadata();
  ClusterSummary out;
  for (const auto& [id, b] : m->brokers) {
    ClusterBroker& cb = out.brokers.emplace_back();
    cb.id = id;
    for (const auto& e : b.endpoints) {
      if (e.listener == "strata") {
        cb.host = e.host;
        cb.port = e.port;
      } else if (e.listener == "kafka") {
        cb.kafka_host = e.host;
        cb.kafka_port = e.port;
      }
    }
  }
  out.controller = m->controller.broker_id;
  for (const auto& [name, record] : m->topics) {
    std::vector<std::int32_t>& leaders = out.leaders[name];
    leaders.assign(static_cast<std::size_t>(record.partitions), -1);
    std::vector<ReplicaSummary>& replicas = out.replicas[name];
    replicas.resize(static_cast<std::size_t>(record.partitions));
    for (std::size_t p = 0; p < replicas.size() && p < record.replicas.size(); ++p) {
      replicas[p].replicas = record.replicas[p];
    }
    const auto states = m->partitions.find(name);
    if (states == m->partitions.end()) continue;
    for (const auto& [p, s] : states->second) {
      if (p < 0 || p >= record.partitions) continue;
      leaders[static_cast<std::size_t>(p)] = s.state.leader;
      replicas[static_cast<std::size_t>(p)].isr = s.state.isr;
      replicas[static_cast<std::size_t>(p)].leader_epoch = s.state.leader_epoch;
    }
  }
  return out;
}

Status ClusterService::route(const std::string& topic, std::uint32_t partition) const {
  const cluster::MetadataSnapshot m = node_.metadata();
  // Error text only: built when an answer needs it, not on every produce.
  const auto where = [&] { return "partition " + topic + "/" + std::to_string(partition); };
  const auto t = m->topics.find(topic);
  const auto states = m->partitions.find(topic);
  if (t == m->topics.end()) {
    return Status::error(Errc::unknown_topic, "topic '" + topic + "' is not in the cluster's metadata");
  }
  const auto* state = states == m->partitions.end() ? nullptr : find_state(states->second, partition);
  if (state == nullptr) return Status::error(Errc::leader_not_available, where() + " has no leader yet: retry");
  const std::int32_t leader = state->state.leader;
  if (leader == node_.node_id()) {
    if (sync_->verified_id(topic) == cluster::uuid_text(t->second.topic_id)) return {};
    return Status::error(Errc::leader_not_available, where() + " is being opened on its leader (broker " +
                                                         std::to_string(leader) + "): retry");
  }
  if (leader < 0) {
    std::string isr;
    for (const std::int32_t id : state->state.isr) isr.append(isr.empty() ? "" : ", ").append(std::to_string(id));
    const bool one = state->state.isr.size() == 1;
    return Status::error(Errc::leader_not_available, where() + " has no leader: its in-sync " +
                                                         (one ? "replica (broker " : "replicas (brokers ") + isr +
                                                         (one ? ") is" : ") are") + " down: retry when " +
                                                         (one ? "it is" : "one is") + " back");
  }
  const auto b = m->brokers.find(leader);
  if (b == m->brokers.end()) {
    return Status::error(Errc::leader_not_available, where() + " is on broker " + std::to_string(leader) +
                                                         ", which is down: retry when it is back");
  }
  return Status::error(Errc::not_leader,
                       where() + " is led by broker " + std::to_string(leader) + " at " + endpoint_text(b->second));
}

}  // namespace strata::broker
