// Runs coroutines on other shards at once and waits for all of them. Each
// is queued on its shard when start() is called, so calls to one shard run
// there in start() order: a produce request's batches reach their
// partitions in request order, and a later request's after them.
//
// Threads: construct, start() and wait() on one executor (the caller's);
// results are stored there. Ownership: every `out` must outlive wait().
#pragma once

#include <chrono>
#include <exception>
#include <memory>

#include "broker/runtime/asio.h"
#include "broker/core/shard.h"

namespace strata::broker {

template <typename T>
class ParallelCalls {
 public:
  explicit ParallelCalls(asio::any_io_executor executor) : state_(std::make_shared<State>(std::move(executor))) {}

  // *out keeps what it holds if the call throws.
  void start(Shard& shard, awaitable<T> work, T* out) {
    ++state_->pending;
    asio::co_spawn(shard.context(), std::move(work), [state = state_, out](std::exception_ptr e, T value) {
      asio::post(state->executor, [state, out, e, value = std::move(value)]() mutable {
        if (!e) *out = std::move(value);
        if (--state->pending == 0) state->timer.cancel();
      });
    });
  }

  awaitable<void> wait() {
    while (state_->pending > 0) {
      boost::system::error_code ec;
      co_await state_->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

 private:
  struct State {
    explicit State(asio::any_io_executor ex)
        : executor(ex), timer(std::move(ex), asio::steady_timer::time_point::max()) {}
    asio::any_io_executor executor;
    asio::steady_timer timer;
    std::size_t pending = 0;
  };
  std::shared_ptr<State> state_;
};

}  // namespace strata::broker
