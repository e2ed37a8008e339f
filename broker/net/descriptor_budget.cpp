#include "broker/net/descriptor_budget.h"

#include <dirent.h>
#include <sys/resource.h>

#include <algorithm>

#include "broker/runtime/logger.h"
#include "broker/ops/metrics.h"
#include "broker/core/shard.h"

namespace strata::broker {

namespace {

// file.cache.size's smallest accepted value.
constexpr std::uint32_t kMinFileCache = 16;
// Refused connections waiting for a first request (Listener::kMaxPendingRefusals),
// the listener, its spare descriptor, and room for topic creation, checkpoint
// writes and directory syncs; the metrics listener, its connections and its
// event loop.
constexpr std::uint64_t kFixedReserve = 64 + 2 + 64 + 1 + kMetricsMaxConnections + 3;
// Per shard: its event loop (epoll, eventfd, timerfd), background syncs
// (two descriptors each) and a blocking-pool thread's sync.
constexpr std::uint64_t kPerShardReserve = 4 + 2 * Shard::kMaxBackgroundSyncs + 4;

}  // namespace

std::uint64_t open_descriptors() {
  std::uint64_t n = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (const dirent* e = ::readdir(d)) n += e->d_name[0] != '.' ? 1 : 0;
    ::closedir(d);
    if (n > 0) --n;  // the directory's own descriptor
  }
  return n;
}

std::uint64_t descriptor_reserve(unsigned shards, std::uint64_t open_at_start) noexcept {
  return open_at_start + kFixedReserve + kPerShardReserve * shards;
}

DescriptorPlan plan_descriptors(const BrokerConfig& config, std::uint64_t limit, std::uint64_t open_at_start) {
  DescriptorPlan plan;
  plan.limit = limit;
  plan.reserve = descriptor_reserve(config.shards, open_at_start);
  plan.file_cache_size = config.file_cache_size;
  plan.max_connections = config.max_connections;
  const std::uint64_t caches = std::uint64_t{config.file_cache_size} * config.shards;
  plan.needed = caches + config.max_connections + plan.reserve;
  if (plan.needed <= limit) return plan;
  const std::uint64_t room = limit > plan.reserve ? limit - plan.reserve : 0;
  if (room < std::uint64_t{kMinFileCache} * config.shards + 1) {
    plan.error = "the open-file limit " + std::to_string(limit) + " cannot hold even file.cache.size " +
                 std::to_string(kMinFileCache) + " x " + std::to_string(config.shards) +
                 " shards and one connection besides the " + std::to_string(plan.reserve) +
                 " descriptors reserved; raise it (LimitNOFILE= in the systemd unit, ulimit -n) to at least " +
                 std::to_string(plan.needed);
    return plan;
  }
  // Half the room to the caches (never more than configured, never below
  // the minimum), the rest to connections.
  const std::uint64_t cache = std::clamp<std::uint64_t>(room / 2 / config.shards, kMinFileCache,
                                                        config.file_cache_size);
  plan.file_cache_size = static_cast<std::uint32_t>(cache);
  plan.max_connections =
      static_cast<std::uint32_t>(std::min<std::uint64_t>(config.max_connections, room - cache * config.shards));
  plan.lowered = true;
  return plan;
}

std::string apply_descriptor_budget(BrokerConfig& config) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return "";
  const rlim_t before = lim.rlim_cur;
  if (lim.rlim_cur != lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &lim) == 0) {
      log_info("raised the open-file limit (RLIMIT_NOFILE) from " + std::to_string(before) +
               " to the hard limit " + std::to_string(lim.rlim_max));
    } else {
      lim.rlim_cur = before;
    }
  }
  const std::uint64_t limit = lim.rlim_cur == RLIM_INFINITY ? UINT64_MAX : lim.rlim_cur;
  const DescriptorPlan plan = plan_descriptors(config, limit, open_descriptors());
  if (!plan.error.empty()) return plan.error;
  if (plan.lowered) {
    log_warn("the open-file limit " + std::to_string(plan.limit) + " is below the " + std::to_string(plan.needed) +
             " descriptors these settings need (file.cache.size " + std::to_string(config.file_cache_size) +
             " x " + std::to_string(config.shards) + " shards + max.connections " +
             std::to_string(config.max_connections) + " + " + std::to_string(plan.reserve) +
             " reserved): lowered file.cache.size to " + std::to_string(plan.file_cache_size) +
             " and max.connections to " + std::to_string(plan.max_connections) +
             "; to keep the settings, raise the limit to " + std::to_string(plan.needed) +
             " (LimitNOFILE= in the systemd unit, or ulimit -n before starting)");
    config.file_cache_size = plan.file_cache_size;
    config.max_connections = plan.max_connections;
  }
  return "";
}

}  // namespace strata::broker
