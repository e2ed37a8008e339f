// Which topics exist, their configs, and which shard owns each partition.
// Threads: any; a mutex guards the map and readers get immutable snapshots
// of a topic (shared_ptr<const TopicInfo>), so a request keeps a consistent
// view even while an admin request replaces the entry.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "broker/core/topic_config.h"

namespace strata::broker {

struct TopicInfo {
  std::string name;
  TopicConfig config;
  std::vector<unsigned> shard_of;  // partition -> owning shard
};
using TopicPtr = std::shared_ptr<const TopicInfo>;

class TopicRegistry {
 public:
  [[nodiscard]] TopicPtr find(const std::string& name) const;
  [[nodiscard]] std::vector<TopicPtr> list() const;
  // False if the name is taken.
  bool insert(TopicPtr topic);
  void replace(TopicPtr topic);
  TopicPtr erase(const std::string& name);
  [[nodiscard]] std::size_t partition_count() const;

  // Names of topics DeleteTopic accepted whose partitions are still closing
  // (TOPIC_BEING_DELETED). A name is here or in the map, never in both.
  void mark_deleting(const std::string& name);
  void unmark_deleting(const std::string& name);
  [[nodiscard]] bool deleting(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> deleting_names() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, TopicPtr> topics_;
  std::set<std::string> deleting_;
};

}  // namespace strata::broker
