#include "broker/core/topic_registry.h"

namespace strata::broker {

TopicPtr TopicRegistry::find(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = topics_.find(name);
  return it == topics_.end() ? nullptr : it->second;
}

std::vector<TopicPtr> TopicRegistry::list() const {
  std::lock_guard lock(mu_);
  std::vector<TopicPtr> out;
  out.reserve(topics_.size());
  for (const auto& [name, t] : topics_) out.push_back(t);
  return out;
}

bool TopicRegistry::insert(TopicPtr topic) {
  std::lock_guard lock(mu_);
  return topics_.emplace(topic->name, std::move(topic)).second;
}

void TopicRegistry::replace(TopicPtr topic) {
  std::lock_guard lock(mu_);
  topics_[topic->name] = std::move(topic);
}

TopicPtr TopicRegistry::erase(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = topics_.find(name);
  if (it == topics_.end()) return nullptr;
  TopicPtr t = std::move(it->second);
  topics_.erase(it);
  return t;
}

std::size_t TopicRegistry::partition_count() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [name, t] : topics_) n += t->config.partitions;
  return n;
}

void TopicRegistry::mark_deleting(const std::string& name) {
  std::lock_guard lock(mu_);
  deleting_.insert(name);
}

void TopicRegistry::unmark_deleting(const std::string& name) {
  std::lock_guard lock(mu_);
  deleting_.erase(name);
}

bool TopicRegistry::deleting(const std::string& name) const {
  std::lock_guard lock(mu_);
  return deleting_.contains(name);
}

std::vector<std::string> TopicRegistry::deleting_names() const {
  std::lock_guard lock(mu_);
  return {deleting_.begin(), deleting_.end()};
}

}  // namespace strata::broker
