#include "broker/cluster/topic_admin.h"

#include <span>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/controller_election.h"
#include "broker/cluster/partition_assignment.h"

namespace strata::cluster {

namespace asio = boost::asio;

namespace {

// The load of every live broker under the topics `view` knows.
std::map<std::int32_t, BrokerLoad> current_load(const ClusterMetadata& view) {
  std::map<std::int32_t, BrokerLoad> load;
  for (const auto& [name, t] : view.topics) add_load(load, t.replicas);
  return load;
}

PartitionState initial_state(const std::vector<std::int32_t>& replicas, std::int64_t epoch) {
  return {replicas.front(), 0, replicas, epoch};
}

}  // namespace

asio::awaitable<Result<TopicRecord>> create_topic(EtcdClient& client, const ClusterLayout& layout,
                                                  std::int64_t epoch, NewTopic topic, const ClusterMetadata& view) {
  std::vector<std::int32_t> live;
  for (const auto& [id, b] : view.brokers) live.push_back(id);
  auto assignment = assign_partitions(live, topic.partitions, topic.replication_factor, current_load(view));
  if (!assignment) co_return assignment.error();
  TopicRecord record{random_uuid(), topic.partitions, std::move(assignment).value(), std::move(topic.configs)};

  const std::string key = layout.topic_key(topic.name);
  etcd::TxnRequest txn{{etcd::Compare::absent(key)}, {etcd::TxnOp::put(key, encode(record))}, {}};
  auto created = co_await controller_txn(client, layout, epoch, std::move(txn));
  if (!created) co_return created.error();
  if (!created.value().succeeded) co_return make_error_code(ClusterErrc::topic_exists);
  const ClusterMetadata none;
  const std::error_code ec = co_await write_missing_partition_states(client, layout, epoch, topic.name, record, none);
  if (ec) co_return ec;
  co_return record;
}

asio::awaitable<std::error_code> write_missing_partition_states(EtcdClient& client, const ClusterLayout& layout,
                                                               std::int64_t epoch, std::string topic,
                                                               TopicRecord record, const ClusterMetadata& view) {
  const auto known = view.partitions.find(topic);
  std::vector<std::int32_t> missing;
  for (std::int32_t p = 0; p < record.partitions; ++p) {
    if (known == view.partitions.end() || known->second.count(p) == 0) missing.push_back(p);
  }
  // Puts `partitions`' states, each only if absent; all or none.
  const auto write = [&](std::span<const std::int32_t> partitions) -> asio::awaitable<Result<etcd::TxnResult>> {
    etcd::TxnRequest txn;
    for (const std::int32_t p : partitions) {
      const std::string key = layout.partition_key(topic, p);
      txn.compare.push_back(etcd::Compare::absent(key));
      const PartitionState state = initial_state(record.replicas[static_cast<std::size_t>(p)], epoch);
      txn.success.push_back(etcd::TxnOp::put(key, encode(state)));
    }
    co_return co_await controller_txn(client, layout, epoch, std::move(txn));
  };
  for (std::size_t at = 0; at < missing.size(); at += kStatesPerTxn) {
    const std::span<const std::int32_t> chunk(missing.data() + at, std::min(kStatesPerTxn, missing.size() - at));
    auto r = co_await write(chunk);
    if (!r) co_return r.error();
    if (r.value().succeeded) continue;
    // Some exist already (written by another controller): keep those and
    // write the others one by one.
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      auto one = co_await write(chunk.subspan(i, 1));
      if (!one) co_return one.error();
    }
  }
  co_return std::error_code{};
}

asio::awaitable<std::error_code> delete_topic(EtcdClient& client, const ClusterLayout& layout, std::int64_t epoch,
                                             std::string topic) {
  const std::string key = layout.topic_key(topic);
  etcd::TxnRequest txn{{etcd::Compare::created_at(key, 0)}, {}, {}};
  txn.compare[0].op = etcd::Compare::Op::greater;  // the topic exists
  txn.success.push_back(etcd::TxnOp::del(key));
  etcd::TxnOp states = etcd::TxnOp::del(layout.partitions_prefix(topic));
  states.prefix = true;
  txn.success.push_back(std::move(states));
  auto r = co_await controller_txn(client, layout, epoch, std::move(txn));
  if (!r) co_return r.error();
  if (!r.value().succeeded) co_return make_error_code(ClusterErrc::unknown_topic);
  co_return std::error_code{};
}

asio::awaitable<std::error_code> alter_topic_configs(EtcdClient& client, const ClusterLayout& layout,
                                                    std::int64_t epoch, std::string topic,
                                                    std::map<std::string, std::string> configs) {
  const std::string key = layout.topic_key(topic);
  etcd::RangeRequest read{key, false, 0, 0};
  auto found = co_await client.range(std::move(read));
  if (!found) co_return found.error();
  if (found.value().kvs.empty()) co_return make_error_code(ClusterErrc::unknown_topic);
  const etcd::KeyValue& kv = found.value().kvs.front();
  std::string why;
  auto record = decode_topic_record(kv.value, why);
  if (!record) co_return record.error();
  TopicRecord changed = std::move(record).value();
  for (auto& [k, v] : configs) changed.configs[k] = std::move(v);
  if (changed.configs.size() > kMaxTopicConfigs) co_return make_error_code(ClusterErrc::bad_value);
  etcd::TxnRequest txn{{etcd::Compare::modified_at(key, kv.mod_revision)}, {etcd::TxnOp::put(key, encode(changed))}, {}};
  auto r = co_await controller_txn(client, layout, epoch, std::move(txn));
  if (!r) co_return r.error();
  // Changed between the read and the write (another alter, or a newer
  // controller: the txn compares both): the caller retries.
  if (!r.value().succeeded) co_return make_error_code(ClusterErrc::state_changed);
  co_return std::error_code{};
}

}  // namespace strata::cluster
