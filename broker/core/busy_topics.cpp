#include "broker/core/busy_topics.h"

#include <cassert>

namespace strata::broker {

void BusyTopics::insert(const std::string& name) {
  const bool inserted = waiters_.try_emplace(name).second;
  assert(inserted && "an admin operation is already under way on this topic");
  (void)inserted;
}

void BusyTopics::erase(const std::string& name) {
  auto it = waiters_.find(name);
  if (it == waiters_.end()) return;
  for (const auto& waiter : it->second) waiter->cancel();
  waiters_.erase(it);
}

awaitable<void> BusyTopics::wait_until_free(std::string name) {
  // A new operation may take the name between a wake-up and this coroutine
  // running again: check again each time.
  while (contains(name)) {
    auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor,
                                                      asio::steady_timer::time_point::max());
    waiters_[name].push_back(timer);
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace strata::broker
