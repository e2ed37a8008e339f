#include "broker/core/fetch.h"

#include <algorithm>

#include "broker/core/broker.h"
#include "broker/core/fetch_budget.h"
#include "broker/core/partition_ops.h"
#include "broker/ops/metrics.h"
#include "broker/runtime/logger.h"

namespace strata::broker {

namespace {

using Clock = std::chrono::steady_clock;

// A target resolved to its shard (-1: no such topic or partition).
struct Resolved {
  FetchTarget target;
  int shard = -1;
  PartitionRead read;
};

// Applies the response budget to one partition's read: keeps it, or drops
// its records (error none: the client asks again). A first batch larger
// than the frame limit itself can never be sent: that partition fails.
void apply_budget(FetchBudget& budget, Resolved& r) {
  if (budget.take(r.read.slice.length)) return;
  if (budget.taken() == 0) {
    log_warn("a batch of " + std::to_string(r.read.slice.length) + " bytes in " + r.target.topic + "/" +
             std::to_string(r.target.partition) + " does not fit a response frame; raise max.frame.bytes");
    r.read.error = Errc::response_too_large;
    r.read.message = "a batch is larger than the broker's max.frame.bytes";
  }
  r.read.slice = {};
}

// Reads every target, long-polling until min_bytes arrive, the deadline
// passes, a target fails or the broker stops. Runs on any shard; reads and
// watches of targets on this shard are done in place, so when every target
// lives here a wake-up costs no trip between threads.
awaitable<std::vector<Resolved>> fetch_until_ready(Broker& broker, std::vector<Resolved> targets,
                                                   FetchLimits limits, Clock::time_point deadline) {
  auto executor = co_await asio::this_coro::executor;
  auto timer = std::make_shared<asio::steady_timer>(executor);
  auto woken = std::make_shared<bool>(false);
  for (;;) {
    std::uint64_t total = 0;
    FetchBudget budget(limits.max_bytes, limits.overhead, limits.frame_limit);
    bool failed = false;
    *woken = false;
    for (auto& r : targets) {
      if (r.shard < 0) {
        failed = true;
        continue;
      }
      Shard& shard = broker.shard(static_cast<unsigned>(r.shard));
      r.read = co_await on_shard(shard, read_on_shard(shard, r.target.topic, r.target.partition, r.target.offset,
                                                      budget.want(r.target.max_bytes)));
      apply_budget(budget, r);
      failed = failed || r.read.error != Errc::none;
      total += r.read.slice.length;
    }
    if (total >= limits.min_bytes || failed || broker.stopping() || Clock::now() >= deadline) break;

    // Long poll: ask every partition to wake us when it grows, then sleep
    // until the deadline. A wake-up can arrive before the wait starts; the
    // flag (set on this executor) catches that.
    std::weak_ptr<asio::steady_timer> weak = timer;
    std::function<void()> wake = [weak, woken, executor]() {
      asio::post(executor, [weak, woken]() {
        *woken = true;
        if (auto t = weak.lock()) t->cancel();
      });
    };
    for (const auto& r : targets) {
      Shard& shard = broker.shard(static_cast<unsigned>(r.shard));
      co_await on_shard(shard, watch_on_shard(shard, r.target.topic, r.target.partition, r.read.log_end, wake));
    }
    if (*woken) continue;
    // Wake at least every 100 ms so a shutdown never waits out a long poll.
    timer->expires_at(std::min(deadline, Clock::now() + std::chrono::milliseconds(100)));
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return targets;
}

}  // namespace

awaitable<FetchOutcome> fetch(Broker& broker, std::vector<FetchTarget> targets, FetchLimits limits) {
  FetchOutcome out;
  if (!FetchBudget::fits(limits.overhead, limits.frame_limit)) {
    out.refused = Status::error(Errc::response_too_large,
                                "a Fetch of " + std::to_string(targets.size()) +
                                    " partitions needs a response larger than the broker's max.frame.bytes " +
                                    std::to_string(limits.frame_limit) + ": fetch fewer partitions per request");
    co_return out;
  }
  std::vector<Resolved> resolved;
  resolved.reserve(targets.size());
  TopicPtr topic;
  for (auto& t : targets) {
    if (!topic || topic->name != t.topic) topic = broker.topics().find(t.topic);
    Resolved& r = resolved.emplace_back();
    r.read.partition = t.partition;
    if (!topic) {
      r.read.error = Errc::unknown_topic;
    } else if (t.partition >= topic->shard_of.size()) {
      r.read.error = Errc::unknown_partition;
    } else if (Status routed = broker.cluster() ? broker.cluster()->route(t.topic, t.partition) : Status{};
               !routed.ok()) {
      r.read.error = routed.code;
      r.read.message = std::move(routed.message);
    } else {
      r.shard = static_cast<int>(topic->shard_of[t.partition]);
      out.affinity.add(static_cast<unsigned>(r.shard));
    }
    r.target = std::move(t);
  }
  const auto deadline = Clock::now() + limits.max_wait;
  // The usual fetch (one partition, or several on one shard) waits on that
  // shard: the append that wakes it is then on the same thread, and the
  // only trip between threads is the answer's, back to the caller.
  if (!out.affinity.none() && !out.affinity.many()) {
    resolved = co_await on_shard(broker.shard(out.affinity.shard()),
                                 fetch_until_ready(broker, std::move(resolved), limits, deadline));
  } else {
    resolved = co_await fetch_until_ready(broker, std::move(resolved), limits, deadline);
  }
  out.reads.reserve(resolved.size());
  out.targets.reserve(resolved.size());
  for (auto& r : resolved) {
    out.reads.push_back(std::move(r.read));
    out.targets.push_back(std::move(r.target));
  }
  co_return out;
}

void count_records_out(const std::vector<FetchTarget>& targets, const std::vector<PartitionRead>& reads) {
  ShardMetrics& m = local_metrics();
  for (std::size_t i = 0; i < reads.size(); ++i) {
    const auto& slice = reads[i].slice;
    if (slice.length == 0) continue;
    TopicTraffic& t = m.topic_out[targets[i].topic];
    t.bytes += slice.length;
    // Offsets from the one asked for to the slice's end: the records the
    // client keeps (it skips those of the first batch before its offset).
    const auto from = std::max(slice.first_offset.value(), targets[i].offset);
    if (slice.next_offset.value() > from) t.messages += slice.next_offset.value() - from;
  }
}

}  // namespace strata::broker
