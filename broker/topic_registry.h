// Which topics exist, their configs, and which shard owns each partition.
// Threads: any; a mutex guards the map and readers get immutable snapshots
// of a topic (shared_ptr<const TopicInfo>), so a request keeps a consistent
// view even while an admin request replaces the entry.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "broker/topic_config.h"

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

 private:
  mutable std::mutex mu_;
  std::map<std::string, TopicPtr> topics_;
};

}  // namespace strata::broker
