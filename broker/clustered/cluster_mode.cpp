#include "broker/clustered/cluster_mode.h"

#include "broker/cluster/lease_file.h"
#include "broker/clustered/cluster_service.h"
#include "broker/core/data_dir_names.h"
#include "broker/runtime/logger.h"

namespace strata::broker {

static_assert(std::string_view(cluster::kLeaseFileName) == kClusterLeaseFile,
              "broker_load skips the lease file by this name");

ClusterMode::ClusterMode(Broker& broker) : sync_(std::make_shared<TopicSync>(broker)) {}

ClusterMode::~ClusterMode() {
  if (node_) log_info("leaving the cluster");
  node_.reset();
}

Result<std::unique_ptr<ClusterMode>> ClusterMode::start(Broker& broker, const std::string& host, std::uint16_t port,
                                                        std::vector<cluster::AdvertisedEndpoint> others,
                                                        std::string& refusal) {
  const BrokerConfig& config = broker.config();
  cluster::ClusterOptions options;
  options.node_id = config.node_id;
  options.etcd_endpoints = config.etcd_endpoints;
  options.cluster_name = config.cluster_name;
  options.lease_ttl_s = config.lease_ttl_s;
  auto checked = cluster::check_cluster_options(options, refusal);
  if (!checked) return checked.error();

  auto mode = std::make_unique<ClusterMode>(broker);
  cluster::ClusterNodeOptions n;
  n.cluster = std::move(checked).value();
  const bool advertised = !config.advertised_host.empty();
  n.endpoints.push_back({"strata", advertised ? config.advertised_host : host,
                         advertised ? config.advertised_port : port});
  for (auto& e : others) n.endpoints.push_back(std::move(e));
  n.fs = &broker.file_system();
  n.data_dir = config.data_dir;
  n.log = [](const std::string& line) { log_info("cluster: " + line); };
  n.on_metadata = [sync = mode->sync_](const cluster::MetadataSnapshot& m) { sync->on_metadata(m); };
  auto node = cluster::ClusterNode::start(std::move(n), refusal);
  if (!node) return node.error();
  mode->node_ = std::move(node).value();
  broker.set_producer_id_node(static_cast<std::int32_t>(config.node_id));
  broker.set_cluster(std::make_shared<ClusterService>(broker, *mode->node_, mode->sync_));
  log_info("joined cluster " + config.cluster_name + " (id " + cluster::uuid_text(mode->node_->cluster_id()) +
           ") as node " + std::to_string(config.node_id));
  return mode;
}

}  // namespace strata::broker
