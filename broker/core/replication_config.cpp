#include "broker/core/replication_config.h"

#include <algorithm>

#include "broker/core/topic_config.h"

namespace strata::broker {

namespace {

constexpr std::int64_t kMaxReplicas = 16;

std::optional<std::uint32_t> given(const std::vector<ConfigSetting>& configs, std::string_view key) {
  for (const auto& c : configs) {
    if (c.key != key) continue;
    if (auto v = parse_int(c.value, 1, kMaxReplicas)) return static_cast<std::uint32_t>(*v);
  }
  return std::nullopt;
}

std::string brokers_alive(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " broker" : " brokers") + " alive";
}

}  // namespace

Status choose_replication(const std::vector<ConfigSetting>& configs, const BrokerConfig& broker,
                          std::optional<std::size_t> live_brokers, ReplicationChoice& out, bool replicated) {
  const auto factor = given(configs, "replication.factor");
  if (!live_brokers) {
    out.factor = factor.value_or(1);
    if (out.factor > 1) {
      return Status::error(Errc::invalid_replication_factor,
                           "replication.factor " + std::to_string(out.factor) +
                               ": a standalone broker keeps one replica of each partition; use 1 (cluster mode "
                               "keeps more)");
    }
  } else {
    const std::size_t live = *live_brokers;
    const std::uint32_t automatic =
        replicated ? static_cast<std::uint32_t>(std::clamp<std::size_t>(live, 1, kClusterReplicationFactor)) : 1;
    out.factor = factor ? *factor
                        : broker.default_replication_factor > 0 ? static_cast<std::uint32_t>(broker.default_replication_factor)
                                                                : automatic;
    if (out.factor > live) {
      return Status::error(Errc::invalid_replication_factor,
                           "replication.factor " + std::to_string(out.factor) + " is above the " + brokers_alive(live) +
                               ": start more brokers or ask for at most " + std::to_string(live));
    }
    if (out.factor > 1 && !replicated) {
      return Status::error(Errc::invalid_replication_factor,
                           "replication.factor above 1 needs replicated partitions, not built yet");
    }
  }
  const auto min_insync = given(configs, "min.insync.replicas");
  if (min_insync) {
    out.min_insync = *min_insync;
  } else if (broker.default_min_insync_replicas > 0) {
    out.min_insync = std::min(out.factor, static_cast<std::uint32_t>(broker.default_min_insync_replicas));
  } else {
    out.min_insync = out.factor >= 3 ? 2 : 1;
  }
  if (auto why = check_min_insync(out.min_insync, out.factor)) return Status::error(Errc::invalid_config, *why);
  return {};
}

void set_replication(std::vector<ConfigSetting>& configs, const ReplicationChoice& choice) {
  std::erase_if(configs, [](const ConfigSetting& c) {
    return c.key == "replication.factor" || c.key == "min.insync.replicas";
  });
  configs.push_back({"replication.factor", std::to_string(choice.factor)});
  configs.push_back({"min.insync.replicas", std::to_string(choice.min_insync)});
}

std::optional<std::string> check_min_insync(std::uint32_t min_insync, std::uint32_t factor) {
  if (min_insync <= factor) return std::nullopt;
  return "min.insync.replicas " + std::to_string(min_insync) + " is above replication.factor " +
         std::to_string(factor) + ": an acks=all write could never be acknowledged; give at most " +
         std::to_string(factor);
}

}  // namespace strata::broker
