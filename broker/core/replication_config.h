// A new topic's replication.factor and min.insync.replicas (issue 18):
// given by the request, else the broker's defaults (default.replication.factor,
// min.insync.replicas), checked against the brokers alive. Shared by
// standalone (one replica) and cluster mode (broker/clustered).
//
// Defaults: replication.factor 1 standalone; in cluster mode 3, capped at
// the brokers alive -- once replicated partitions are built. Until then
// (kReplicatedPartitionsBuilt false: followers do not fetch yet, so a
// second replica would hold nothing) the default is 1 and a factor above 1
// is refused with INVALID_REPLICATION_FACTOR. min.insync.replicas: 2 when
// the factor is at least 3, else 1; a broker default is capped at the
// factor, a topic's own value above it is refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/core/broker_config.h"
#include "broker/core/status.h"
#include "broker/core/topic_spec.h"

namespace strata::broker {

// Flipped when followers replicate (issue 18's data path).
inline constexpr bool kReplicatedPartitionsBuilt = false;
inline constexpr std::uint32_t kClusterReplicationFactor = 3;

struct ReplicationChoice {
  std::uint32_t factor = 1;
  std::uint32_t min_insync = 1;
};

// `live_brokers`: cluster mode's count of live brokers; nullopt standalone.
// `replicated`: whether followers replicate (tests pass true to check the
// rules that wait for the data path). REQUIRES: `configs` passed
// Broker::check_topic_spec. Errors: invalid_replication_factor,
// invalid_config (min.insync.replicas).
[[nodiscard]] Status choose_replication(const std::vector<ConfigSetting>& configs, const BrokerConfig& broker,
                                        std::optional<std::size_t> live_brokers, ReplicationChoice& out,
                                        bool replicated = kReplicatedPartitionsBuilt);

// `configs` with replication.factor and min.insync.replicas set to `choice`.
void set_replication(std::vector<ConfigSetting>& configs, const ReplicationChoice& choice);

// Why a topic's min.insync.replicas cannot stand next to its
// replication.factor (above it), or nullopt.
[[nodiscard]] std::optional<std::string> check_min_insync(std::uint32_t min_insync, std::uint32_t factor);

}  // namespace strata::broker
