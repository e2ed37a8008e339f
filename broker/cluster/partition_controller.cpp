#include "broker/cluster/partition_controller.h"

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/leader_choice.h"
#include "broker/cluster/partition_state_writes.h"

namespace strata::cluster {

namespace asio = boost::asio;

PartitionController::PartitionController(EtcdClient& client, PartitionControllerOptions options)
    : client_(client), options_(std::move(options)),
      wake_(std::make_unique<asio::steady_timer>(client.executor())) {}

PartitionController::~PartitionController() = default;

std::shared_ptr<PartitionController> PartitionController::start(EtcdClient& client,
                                                                PartitionControllerOptions options) {
  auto c = std::make_shared<PartitionController>(client, std::move(options));
  asio::co_spawn(client.executor(), c->run(c), asio::detached);
  return c;
}

void PartitionController::wake() {
  dirty_ = true;
  wake_->cancel();
}

void PartitionController::on_metadata(const MetadataSnapshot& snapshot) {
  latest_ = snapshot;
  wake();
}

void PartitionController::set_epoch(std::int64_t epoch) {
  if (epoch == epoch_) return;
  epoch_ = epoch;
  seen_.clear();  // a new term starts from what it sees
  bounced_.clear();
  wake();
}

void PartitionController::stop() {
  stopped_ = true;
  wake_->cancel();
}

asio::awaitable<void> PartitionController::run([[maybe_unused]] std::shared_ptr<PartitionController> self) {
  while (!stopped_) {
    if (dirty_ && epoch_ != 0 && latest_) {
      dirty_ = false;
      const PassEnd end = co_await pass(latest_, epoch_);
      if (stopped_) break;
      if (end == PassEnd::etcd_failed && !dirty_) {
        wake_->expires_after(options_.retry);
        boost::system::error_code ignored;
        co_await wake_->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        dirty_ = true;
      }
      continue;
    }
    wake_->expires_at(asio::steady_timer::time_point::max());
    boost::system::error_code ignored;
    co_await wake_->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

asio::awaitable<PartitionController::PassEnd> PartitionController::pass(MetadataSnapshot m, std::int64_t epoch) {
  ++passes_;
  Liveness alive;
  for (const auto& [id, b] : m->brokers) {
    alive.live.insert(id);
    const auto was = seen_.find(id);
    if (was != seen_.end() && was->second != b.incarnation) bounced_.insert(id);
  }
  std::erase_if(bounced_, [&](std::int32_t id) { return alive.live.count(id) == 0; });
  seen_.clear();
  for (const auto& [id, b] : m->brokers) seen_[id] = b.incarnation;
  alive.bounced = bounced_;

  PassEnd end = PassEnd::done;
  for (const auto& [name, record] : m->topics) {
    const auto states = m->partitions.find(name);
    if (states == m->partitions.end()) continue;  // not written yet: create_topic's job
    const auto unclean = record.configs.find(std::string(kUncleanElectionKey));
    const bool unclean_allowed = unclean != record.configs.end() && unclean->second == "true";
    for (const auto& [p, versioned] : states->second) {
      if (p < 0 || p >= record.partitions) continue;
      const auto& replicas = record.replicas[static_cast<std::size_t>(p)];
      const auto decision = choose_leader(replicas, versioned.state, alive, unclean_allowed, epoch);
      if (!decision) continue;
      auto r = co_await write_partition_state(client_, options_.layout, epoch, name, p, versioned.mod_revision,
                                              decision->next);
      if (stopped_) co_return PassEnd::deposed;
      if (r) {
        ++written_;
        if (options_.log) options_.log(describe(name + "/" + std::to_string(p), versioned.state, *decision));
        continue;
      }
      if (r.error() == ClusterErrc::state_changed) {
        end = PassEnd::lost_race;  // the watch brings the change, and with it another pass
        continue;
      }
      if (r.error() == ClusterErrc::not_controller) co_return PassEnd::deposed;  // the elector tells the rest
      if (options_.log) {
        options_.log("partition " + name + "/" + std::to_string(p) + ": cannot write its new leader: " +
                     r.error().message() + "; retrying");
      }
      co_return PassEnd::etcd_failed;
    }
  }
  if (end == PassEnd::done) bounced_.clear();
  co_return end;
}

}  // namespace strata::cluster
