#include "broker/net/connection_tracker.h"

#include <algorithm>

#include "broker/net/connection.h"

namespace strata::broker {

void ConnectionTracker::add(const std::shared_ptr<Connection>& c, bool refusing) {
  ++(refusing ? refusing_ : count_);
  add_moved(c);
}

void ConnectionTracker::add_moved(const std::shared_ptr<Connection>& c) {
  std::lock_guard lock(mu_);
  std::erase_if(connections_, [](const auto& w) { return w.expired(); });
  connections_.push_back(c);
}

void ConnectionTracker::drain_all() {
  std::lock_guard lock(mu_);
  for (auto& w : connections_) {
    if (auto c = w.lock()) c->drain();
  }
}

}  // namespace strata::broker
