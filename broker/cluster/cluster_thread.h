// The cluster thread: one io_context on its own std::thread, where the etcd
// client, the watch, membership and the controller run (never a shard's
// thread: the data path never waits on etcd).
//
// Threads: construct, spawn and stop from any thread but the cluster
// thread itself (run() would deadlock there). stop() (also the destructor)
// abandons work in flight: coroutines not finished are destroyed unrun.
// Lifetime: Asio objects made on its executor (timers, sockets: those of
// Watcher, Membership, ControllerElector) must be destroyed before it, so
// an owner declares the ClusterThread before them and calls stop() first
// (see ClusterNode); coroutines it still holds are destroyed with it.
#pragma once

#include "broker/runtime/asio.h"

#include <exception>
#include <future>
#include <optional>
#include <thread>

namespace strata::cluster {

class ClusterThread {
 public:
  ClusterThread();
  ~ClusterThread();
  ClusterThread(const ClusterThread&) = delete;
  ClusterThread& operator=(const ClusterThread&) = delete;

  [[nodiscard]] boost::asio::any_io_executor executor() { return io_.get_executor(); }

  // Runs `op` on the cluster thread; `done(T)` is called there when it
  // finishes (post it to your own executor to get back). An exception
  // escaping `op` is a bug: it terminates.
  template <typename T, typename Done>
  void spawn(boost::asio::awaitable<T> op, Done done) {
    boost::asio::co_spawn(io_, optional_of(std::move(op)),
                          [done = std::move(done)](std::exception_ptr e, std::optional<T> value) mutable {
                            if (e) std::rethrow_exception(e);
                            done(std::move(*value));
                          });
  }

  // Runs `op` there and blocks the caller until it finishes (for start-up
  // and tests). REQUIRES: before stop(); `op` ends in bounded time (every
  // etcd call does).
  template <typename T>
  T run(boost::asio::awaitable<T> op) {
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    boost::asio::co_spawn(io_, optional_of(std::move(op)), [promise](std::exception_ptr e, std::optional<T> value) {
      if (e) {
        promise->set_exception(e);
      } else {
        promise->set_value(std::move(*value));
      }
    });
    return future.get();
  }

  void stop();

 private:
  // co_spawn's handler needs a default-constructible value (Result<T> is not).
  template <typename T>
  static boost::asio::awaitable<std::optional<T>> optional_of(boost::asio::awaitable<T> op) {
    std::optional<T> out(co_await std::move(op));
    co_return out;
  }

  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace strata::cluster
