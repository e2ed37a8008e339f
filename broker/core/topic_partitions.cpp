// Adding partitions to a topic: AlterConfigs with the key "partitions"
// (alone). Partitions are only ever added: removing one would drop its
// records. Keys then map to other partitions (hash mod the new count).
//
// Order: the new partitions' directories are created and opened first; the
// topic.conf naming the new count is the commit point (written durably);
// only then does the registry show them. A crash before the commit point
// leaves empty directories the next start ignores.
#include <charconv>

#include "broker/core/broker.h"
#include "broker/core/error_mapping.h"
#include "broker/runtime/logger.h"

namespace strata::broker {

namespace fs = std::filesystem;

awaitable<Status> Broker::add_partitions(TopicPtr topic, std::string value) {
  const std::string& name = topic->name;
  std::uint32_t wanted = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), wanted);
  const std::uint32_t have = topic->config.partitions;
  if (ec != std::errc{} || end != value.data() + value.size() || wanted < 1 || wanted > 10000) {
    co_return Status{Errc::invalid_partitions,
                             "partitions '" + value + "' is not a partition count between 1 and 10000"};
  }
  if (wanted < have) {
    co_return Status{Errc::invalid_partitions,
                             "topic '" + name + "' has " + std::to_string(have) + " partitions; partitions are only "
                             "added, never removed (removing one would drop its records)"};
  }
  if (wanted == have) co_return Status{};
  busy_.insert(name);
  auto updated = std::make_shared<TopicInfo>(*topic);
  updated->config.partitions = wanted;
  std::error_code failed;
  for (std::uint32_t p = have; p < wanted && !failed; ++p) {
    const unsigned s = next_shard();
    updated->shard_of.push_back(s);
    failed = co_await asio::co_spawn(shards_[s]->context(),
                                     open_on_shard(*shards_[s], partition_dir(name, p), name, p, updated->config),
                                     asio::use_awaitable);
  }
  const fs::path dir = fs::path(config_.data_dir) / name;
  if (!failed) failed = fs_.sync_directory(dir);
  if (!failed) failed = write_topic_config(dir, updated->config);  // the commit point
  if (failed) {
    for (std::uint32_t p = have; p < updated->shard_of.size(); ++p) {
      Shard& owner = *shards_[updated->shard_of[p]];
      co_await asio::co_spawn(owner.context(), close_on_shard(owner, name, p), asio::use_awaitable);
      (void)fs_.remove_all(partition_dir(name, p));
    }
    busy_.erase(name);
    log_error("adding partitions to topic " + name + " failed: " + failed.message());
    co_return Status{to_status(failed).code, "could not add partitions: " + failed.message()};
  }
  topics_.replace(updated);
  busy_.erase(name);
  log_info("topic " + name + " now has " + std::to_string(wanted) + " partitions (was " + std::to_string(have) +
           "); keys map to partitions by the new count");
  co_return Status{};
}

}  // namespace strata::broker
