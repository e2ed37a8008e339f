// The service's read-only questions about topics: what exists, each
// partition's ends and size, what keeps its oldest segment, offsets by
// time, a topic's configs. Knows no wire protocol (DESIGN decision 12).
//
// Threads: every call runs on any shard and resumes on the caller's; the
// answers for a partition come from the shard that owns it.
#pragma once

#include <string>
#include <vector>

#include "broker/core/partition_results.h"
#include "broker/core/topic_spec.h"
#include "broker/runtime/asio.h"

namespace strata::broker {

class Broker;

struct TopicStats {
  std::string name;
  Errc error = Errc::none;  // unknown_topic, or topic_being_deleted
  std::vector<PartitionStats> partitions;  // in partition order
};

struct TopicRetention {
  Status status;
  std::vector<PartitionRetentionInfo> partitions;  // in partition order
};

struct TopicConfigs {
  Status status;
  std::vector<ConfigSetting> configs;  // every key, in the schema's order
};

// Every topic's name, then those being deleted (listed so that the name's
// state is visible).
[[nodiscard]] std::vector<std::string> topic_names(Broker& broker);

awaitable<TopicStats> describe_topic(Broker& broker, std::string name);
awaitable<TopicRetention> describe_retention(Broker& broker, std::string name);
[[nodiscard]] TopicConfigs describe_configs(Broker& broker, const std::string& name);

// timestamp: ms, or kLatestTimestamp / kEarliestTimestamp.
awaitable<OffsetLookup> list_offset(Broker& broker, std::string topic, std::uint32_t partition,
                                    std::int64_t timestamp);

}  // namespace strata::broker
