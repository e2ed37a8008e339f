#include "broker/cluster/cluster_node.h"

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/cluster_id.h"
#include "broker/cluster/controller_election.h"
#include "broker/cluster/etcd_client.h"
#include "broker/cluster/membership.h"
#include "broker/cluster/partition_controller.h"
#include "storage/data_dir_identity.h"

namespace strata::cluster {

namespace asio = boost::asio;

ClusterNode::ClusterNode(ClusterNodeOptions options) : options_(std::move(options)) {
  EtcdClientOptions client_options;
  client_options.endpoints = options_.cluster.endpoints;
  client_options.log = options_.log;
  client_ = std::make_unique<EtcdClient>(thread_.executor(), std::move(client_options));
}

Result<std::unique_ptr<ClusterNode>> ClusterNode::start(ClusterNodeOptions options, std::string& refusal) {
  auto node = std::make_unique<ClusterNode>(std::move(options));
  if (const std::error_code ec = node->thread_.run(node->join(refusal))) return ec;
  return node;
}

ClusterNode::~ClusterNode() {
  if (membership_) (void)thread_.run(leave());
  thread_.stop();
}

asio::awaitable<std::error_code> ClusterNode::join(std::string& refusal) {
  const CheckedClusterOptions& c = options_.cluster;
  auto id = co_await ensure_cluster_id(*client_, c.layout);
  if (!id) {
    refusal = "cannot read the cluster id from etcd: " + id.error().message() + " (" + client_->last_error_detail() +
              ")";
    co_return id.error();
  }
  cluster_id_ = id.value();
  const storage::DataDirIdentity identity{uuid_text(cluster_id_), c.node_id};
  auto checked = storage::check_data_dir_identity(*options_.fs, options_.data_dir, identity);
  if (!checked) {
    refusal = "cannot record the cluster identity in " + options_.data_dir.string() + ": " + checked.error().message();
    co_return checked.error();
  }
  if (!checked.value().refusal.empty()) {
    refusal = checked.value().refusal;
    co_return make_error_code(ClusterErrc::foreign_data_dir);
  }

  MembershipOptions m;
  m.layout = c.layout;
  m.registration = {c.node_id, random_uuid(), options_.endpoints};
  m.lease_ttl_s = c.lease_ttl_s;
  m.fs = options_.fs;
  m.data_dir = options_.data_dir;
  m.log = options_.log;
  m.on_renewed = [this](std::error_code ec) {
    if (!ec && elector_ && membership_) elector_->set_lease(membership_->lease_id());
  };
  auto joined = co_await Membership::join(*client_, std::move(m), refusal);
  if (!joined) co_return joined.error();
  membership_ = joined.value();

  PartitionControllerOptions pc;
  pc.layout = c.layout;
  pc.log = options_.log;
  partitions_ = PartitionController::start(*client_, std::move(pc));

  MetadataViewOptions v;
  v.layout = c.layout;
  v.on_change = [this](const MetadataSnapshot& snapshot) {
    partitions_->on_metadata(snapshot);
    if (options_.on_metadata) options_.on_metadata(snapshot);
  };
  v.log = options_.log;
  auto view = co_await MetadataView::start(*client_, std::move(v));
  if (!view) {
    refusal = "cannot read the cluster's metadata from etcd: " + view.error().message();
    co_return view.error();
  }
  view_ = view.value();

  ElectorOptions e;
  e.layout = c.layout;
  e.broker_id = c.node_id;
  e.lease_id = membership_->lease_id();
  e.on_change = [this](const ControllerInfo& info) {
    {
      std::lock_guard lock(mu_);
      controller_ = info;
    }
    partitions_->set_epoch(info.broker_id == options_.cluster.node_id ? info.epoch : 0);
  };
  e.log = options_.log;
  elector_ = ControllerElector::start(*client_, std::move(e));
  co_return std::error_code{};
}

asio::awaitable<int> ClusterNode::leave() {
  if (elector_) elector_->stop();
  if (partitions_) partitions_->stop();
  if (view_) view_->stop();
  (void)co_await membership_->leave();
  co_return 0;
}

MetadataSnapshot ClusterNode::metadata() const {
  return view_ ? view_->current() : std::make_shared<const ClusterMetadata>();
}

ControllerInfo ClusterNode::controller() const {
  std::lock_guard lock(mu_);
  return controller_;
}

std::int64_t ClusterNode::my_epoch() const {
  const ControllerInfo c = controller();
  return c.broker_id == options_.cluster.node_id ? c.epoch : 0;
}

void ClusterNode::create_topic(NewTopic topic, std::function<void(Result<TopicRecord>)> done) {
  thread_.spawn(create_as_controller(std::move(topic)), std::move(done));
}

void ClusterNode::delete_topic(std::string topic, std::function<void(std::error_code)> done) {
  thread_.spawn(delete_as_controller(std::move(topic)), std::move(done));
}

asio::awaitable<Result<TopicRecord>> ClusterNode::create_as_controller(NewTopic topic) {
  co_return co_await create_fenced(std::move(topic), my_epoch());
}

asio::awaitable<std::error_code> ClusterNode::delete_as_controller(std::string topic) {
  co_return co_await delete_fenced(std::move(topic), my_epoch());
}

std::int64_t ClusterNode::known_epoch() const {
  const ControllerInfo c = controller();
  return c.broker_id >= 0 ? c.epoch : 0;
}

void ClusterNode::submit_create_topic(NewTopic topic, std::function<void(Result<TopicRecord>)> done) {
  thread_.spawn(create_fenced(std::move(topic), known_epoch()), std::move(done));
}

void ClusterNode::submit_delete_topic(std::string topic, std::function<void(std::error_code)> done) {
  thread_.spawn(delete_fenced(std::move(topic), known_epoch()), std::move(done));
}

void ClusterNode::submit_alter_configs(std::string topic, std::map<std::string, std::string> configs,
                                       std::function<void(std::error_code)> done) {
  thread_.spawn(alter_fenced(std::move(topic), std::move(configs), known_epoch()), std::move(done));
}

asio::awaitable<Result<TopicRecord>> ClusterNode::create_fenced(NewTopic topic, std::int64_t epoch) {
  if (epoch == 0) co_return make_error_code(ClusterErrc::not_controller);
  const MetadataSnapshot view = metadata();
  co_return co_await cluster::create_topic(*client_, options_.cluster.layout, epoch, std::move(topic), *view);
}

asio::awaitable<std::error_code> ClusterNode::delete_fenced(std::string topic, std::int64_t epoch) {
  if (epoch == 0) co_return make_error_code(ClusterErrc::not_controller);
  co_return co_await cluster::delete_topic(*client_, options_.cluster.layout, epoch, std::move(topic));
}

asio::awaitable<std::error_code> ClusterNode::alter_fenced(std::string topic,
                                                          std::map<std::string, std::string> configs,
                                                          std::int64_t epoch) {
  if (epoch == 0) co_return make_error_code(ClusterErrc::not_controller);
  co_return co_await cluster::alter_topic_configs(*client_, options_.cluster.layout, epoch, std::move(topic),
                                                  std::move(configs));
}

}  // namespace strata::cluster
