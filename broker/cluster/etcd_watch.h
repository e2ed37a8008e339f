// A watch on one key or a prefix that survives etcd restarts, failovers and
// compaction (DESIGN decision 13):
// - events arrive in etcd's order, each revision once;
// - after a broken stream it reconnects (next endpoint, backoff 50 ms
//   doubling to 1 s) and resumes from the last revision seen + 1;
// - told its revision was compacted, it re-reads the prefix with a range
//   and hands over that snapshot (on_snapshot), then watches from the
//   snapshot's revision + 1.
//
// Threads: start, cancel and every callback on the client's (cluster)
// thread. The watcher keeps itself alive until cancel() or the thread stops.
// Limitation: a server that hangs without closing the connection is not
// detected here (etcd's HTTP gateway has no progress request); a killed
// or restarted etcd closes it and is.
#pragma once

#include "broker/runtime/asio.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/cluster/etcd_client.h"
#include "broker/cluster/etcd_types.h"

namespace strata::cluster {

class HttpLineStream;

struct WatchCallbacks {
  // Events of one etcd message, in order.
  std::function<void(const std::vector<etcd::WatchEvent>&)> on_events;
  // Everything under the watched key now (after a compaction): replaces
  // what the caller knew.
  std::function<void(const etcd::RangeResult&)> on_snapshot;
  // The stream broke (the error) or is up again (empty error); for logs
  // and health.
  std::function<void(std::error_code)> on_state;
};

// The longest line (one etcd watch message) a watcher accepts.
inline constexpr std::size_t kMaxWatchMessageBytes = 64u << 20;

class Watcher : public std::enable_shared_from_this<Watcher> {
 public:
  // Watches `key` (every key under it when `prefix`) from `start_revision`
  // (0 = from now). REQUIRES: `client` outlives the watcher's coroutine
  // (stop the cluster thread before destroying the client).
  static std::shared_ptr<Watcher> start(EtcdClient& client, std::string key, bool prefix,
                                        std::int64_t start_revision, WatchCallbacks callbacks);

  // Stops the watch: no callback runs after this returns.
  void cancel();

  // The revision the watch resumes from after a reconnect.
  [[nodiscard]] std::int64_t next_revision() const noexcept { return next_; }

  Watcher(EtcdClient& client, std::string key, bool prefix, std::int64_t start_revision, WatchCallbacks callbacks);
  ~Watcher();

 private:
  // `self` keeps the watcher alive from the moment it is spawned (not
  // from its first step, which may come after the caller let go).
  boost::asio::awaitable<void> run(std::shared_ptr<Watcher> self);
  // One connection's life; returns when the stream breaks.
  // Whether the stream was created (reconnect backoff starts over then).
  boost::asio::awaitable<bool> serve(HttpLineStream& stream);
  boost::asio::awaitable<void> resync();

  EtcdClient& client_;
  std::string key_;
  bool prefix_;
  std::int64_t next_;
  WatchCallbacks callbacks_;
  bool cancelled_ = false;
  HttpLineStream* stream_ = nullptr;  // the open stream, for cancel()
  std::unique_ptr<boost::asio::steady_timer> backoff_timer_;
};

}  // namespace strata::cluster
