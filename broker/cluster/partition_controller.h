// The controller's partition leadership (issue 18, DESIGN decision 15):
// while this broker is the controller, every metadata snapshot is checked
// partition by partition against who is alive (leader_choice.h), and each
// change is written by compare-and-swap fenced on the controller epoch
// (partition_state_writes.h). A leader whose broker's registration went is
// replaced by a live ISR member (or the partition goes offline, leader
// -1); a preferred replica back in the ISR takes leadership back.
//
// A broker that registered again with a new incarnation since the last
// pass (a restart the controller never saw as a gap) counts as having
// failed and come back ("bounced", as Kafka's controller treats a new
// broker epoch). Incarnations are remembered only while this broker is
// the controller: a new controller starts from what it first sees.
//
// A write that loses its compare-and-swap changes nothing and waits for the
// snapshot carrying the change (the watch brings it); an etcd error retries
// after kRetry. One pass at a time, always on the newest snapshot.
//
// Threads: everything on the cluster thread (the client's executor).
#pragma once

#include "broker/runtime/asio.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "broker/cluster/cluster_layout.h"
#include "broker/cluster/etcd_client.h"
#include "broker/cluster/metadata_view.h"

namespace strata::cluster {

// The topic config that allows an unclean election (Kafka's name).
inline constexpr std::string_view kUncleanElectionKey = "unclean.leader.election.enable";

struct PartitionControllerOptions {
  ClusterLayout layout{"strata"};
  std::function<void(const std::string&)> log;  // each leader change, and etcd failures
  std::chrono::milliseconds retry{500};         // after an etcd error
};

class PartitionController : public std::enable_shared_from_this<PartitionController> {
 public:
  // REQUIRES: `client` outlives the controller's coroutine (stop the
  // cluster thread before destroying the client).
  static std::shared_ptr<PartitionController> start(EtcdClient& client, PartitionControllerOptions options);

  // The newest metadata.
  void on_metadata(const MetadataSnapshot& snapshot);
  // This broker's controller epoch; 0 when it is not the controller.
  void set_epoch(std::int64_t epoch);
  void stop();
  // Leader changes written, and passes over a snapshot, so far (for tests and logs).
  [[nodiscard]] std::uint64_t changes_written() const noexcept { return written_; }
  [[nodiscard]] std::uint64_t passes() const noexcept { return passes_; }

  PartitionController(EtcdClient& client, PartitionControllerOptions options);
  ~PartitionController();

 private:
  enum class PassEnd { done, lost_race, etcd_failed, deposed };
  boost::asio::awaitable<void> run(std::shared_ptr<PartitionController> self);
  boost::asio::awaitable<PassEnd> pass(MetadataSnapshot m, std::int64_t epoch);
  void wake();

  EtcdClient& client_;
  PartitionControllerOptions options_;
  MetadataSnapshot latest_;
  std::int64_t epoch_ = 0;
  bool dirty_ = false;
  bool stopped_ = false;
  std::uint64_t written_ = 0;
  std::uint64_t passes_ = 0;
  std::map<std::int32_t, Uuid> seen_;  // node id -> incarnation, at the last pass
  std::set<std::int32_t> bounced_;            // restarts not yet handled by a complete pass
  std::unique_ptr<boost::asio::steady_timer> wake_;
};

}  // namespace strata::cluster
