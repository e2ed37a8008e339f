// Produce, Fetch (with long poll and sendfile slices) and ListOffsets.
#include <chrono>

#include "broker/core/fetch_budget.h"
#include "broker/runtime/logger.h"
#include "broker/ops/metrics.h"
#include "broker/runtime/parallel_calls.h"
#include "broker/core/partition_ops.h"
#include "broker/native/request_handlers.h"
#include "protocol/topic_name.h"

namespace strata::broker {

using protocol::ErrorCode;

namespace {

std::string unknown_topic_message(const std::string& name) {
  if (!protocol::valid_topic_name(name)) {
    return "invalid topic name '" + name.substr(0, 300) + "': use 1-249 characters of [A-Za-z0-9._-]";
  }
  return "topic '" + name + "' does not exist: create it first (strata topic create " + name + ")";
}

// The topic, auto-created when the broker allows it.
awaitable<TopicPtr> lookup_topic(Broker& broker, std::string name, bool may_create) {
  TopicPtr topic = broker.topics().find(name);
  if (topic || !may_create || !broker.config().auto_create_topics || !protocol::valid_topic_name(name)) {
    co_return topic;
  }
  co_return co_await asio::co_spawn(broker.shard(0).context(), broker.ensure_topic(name), asio::use_awaitable);
}

}  // namespace

awaitable<Response> handle_produce(Broker& broker, protocol::RequestHeader header, protocol::MutableBytes frame,
                                   std::size_t body_at) {
  auto request = decode_body<protocol::ProduceRequest>(protocol::Bytes(frame.subspan(body_at)));
  if (!request) co_return invalid_request(header.correlation_id, "malformed Produce request");
  // Every append starts before the first wait (ParallelCalls): with several
  // batches of a partition in flight (an idempotent producer), a later
  // request must not overtake this one at any partition.
  std::size_t count = 0;
  for (const auto& t : request->topics) count += t.partitions.size();
  std::vector<protocol::ProducePartitionResult> results(count);
  struct LocalAck {
    Shard* shard;
    Appended appended;
    std::size_t at;  // in results
  };
  std::vector<LocalAck> local;  // appended here; acks=durable waits below
  ParallelCalls<protocol::ProducePartitionResult> remote(co_await asio::this_coro::executor);
  ShardAffinity affinity;
  std::size_t i = 0;
  for (const auto& t : request->topics) {
    TopicPtr topic = co_await lookup_topic(broker, t.name, true);
    for (const auto& part : t.partitions) {
      protocol::ProducePartitionResult& result = results[i++];
      result.partition = part.partition;
      if (!topic) {
        result.error = protocol::valid_topic_name(t.name) ? ErrorCode::unknown_topic : ErrorCode::invalid_topic;
        result.message = unknown_topic_message(t.name);
        continue;
      }
      if (part.partition >= topic->shard_of.size()) {
        result.error = ErrorCode::unknown_partition;
        result.message = "topic '" + t.name + "' has partitions 0.." + std::to_string(topic->shard_of.size() - 1);
        continue;
      }
      // Validated here, on the connection's thread, so the owning shard
      // only appends; the batch stays in `frame`, stamped in place there.
      auto valid = protocol::validate_for_append(protocol::mutable_view(frame, part.batch),
                                                 topic->config.max_message_bytes);
      if (!valid) {
        auto wire = to_wire_error(valid.error());
        result.error = wire.code;
        result.message = wire.message;
        continue;
      }
      Shard& shard = broker.shard(topic->shard_of[part.partition]);
      affinity.add(shard.id());
      if (shard.context().get_executor().running_in_this_thread()) {
        // No trip through the shard's queue on the latency path.
        Appended appended = append_on_shard(shard, t.name, part.partition, valid.value());
        result = appended.result;
        if (request->acks == protocol::Acks::durable && appended.partition) {
          local.push_back({&shard, std::move(appended), i - 1});
        }
      } else {
        result.error = ErrorCode::storage_error;
        result.message = "internal error while appending";  // kept only if the call throws
        remote.start(shard, produce_on_shard(shard, t.name, part.partition, valid.value(), request->acks), &result);
      }
    }
  }
  for (auto& ack : local) results[ack.at] = co_await ack_on_shard(*ack.shard, std::move(ack.appended), request->acks);
  co_await remote.wait();

  protocol::ProduceResponse response;
  i = 0;
  for (const auto& t : request->topics) {
    protocol::ProduceTopicResult& out = response.topics.emplace_back();
    out.name = t.name;
    for (std::size_t n = 0; n < t.partitions.size(); ++n, ++i) {
      if (results[i].error != ErrorCode::none) {
        count_error(protocol::ApiKey::produce, results[i].error);
        log_debug("produce to " + t.name + "/" + std::to_string(results[i].partition) +
                  " refused: " + results[i].message);
      }
      out.partitions.push_back(std::move(results[i]));
    }
  }
  Response out;
  if (request->acks == protocol::Acks::none) {
    out.send = false;
  } else {
    out = encode_response(header.correlation_id, response);
  }
  out.affinity = affinity;
  co_return out;
}

namespace {

// The largest Fetch response frame: max.frame.bytes, and never past what
// the frame's 32-bit size (read as signed by some clients) can say.
std::uint64_t fetch_frame_limit(const BrokerConfig& config) {
  return std::min<std::uint64_t>(config.max_frame_bytes, 0x7FFFFFFFu);
}

struct FetchTarget {
  std::string topic;
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
  std::uint32_t max_bytes = 0;
  int shard = -1;  // -1: no such topic or partition
  ErrorCode error = ErrorCode::none;
  ReadResult read;
};

// REQUIRES: the records fit frame_limit (FetchBudget); checked again here,
// where the frame size is written, since a wrapped size desynchronises the
// client's stream.
Response encode_fetch(std::uint32_t correlation_id, const protocol::FetchRequest& request,
                      const std::vector<FetchTarget>& targets, std::uint64_t frame_limit) {
  Response response;
  protocol::ByteWriter w;
  protocol::begin_response(w, correlation_id);
  w.fixed(static_cast<std::uint32_t>(request.topics.size()));
  std::size_t i = 0;
  std::uint64_t total = 0;
  for (const auto& t : request.topics) {
    w.string(t.name);
    w.fixed(static_cast<std::uint32_t>(t.partitions.size()));
    for (std::size_t n = 0; n < t.partitions.size(); ++n, ++i) {
      const FetchTarget& target = targets[i];
      const auto length = static_cast<std::uint32_t>(target.read.slice.length);
      target.read.header.encode(w, length);
      if (length > 0) {
        total += w.size() + length;
        response.chunks.push_back({w.take(), target.read.slice});
        w = protocol::ByteWriter();
      }
    }
  }
  total += w.size();
  response.chunks.push_back({w.take(), {}});
  if (total > frame_limit) {
    log_error("a Fetch response of " + std::to_string(total) + " bytes passed the frame limit of " +
              std::to_string(frame_limit) + "; answered with an error instead");
    Response refused = Response::frame(protocol::error_response_frame(
        correlation_id, ErrorCode::frame_too_large,
        "the Fetch response would exceed the broker's frame limit: fetch fewer partitions per request"));
    refused.error = ErrorCode::frame_too_large;
    return refused;
  }
  protocol::store_le(response.chunks.front().bytes.data(),
                     static_cast<std::uint32_t>(total - protocol::kFrameSizeBytes));
  return response;
}

}  // namespace

namespace {

struct FetchLimits {
  std::chrono::steady_clock::time_point deadline;
  std::uint32_t min_bytes = 0;
  std::uint32_t max_bytes = 0;
  std::uint64_t overhead = 0;     // fetch_response_overhead
  std::uint64_t frame_limit = 0;  // largest response frame
};

// Applies the response budget to one partition's read: keeps it, or drops
// its records (error NONE: the client asks again). A first batch larger
// than the frame limit itself can never be sent: that partition fails.
void apply_budget(FetchBudget& budget, FetchTarget& target) {
  if (budget.take(target.read.slice.length)) return;
  if (budget.taken() == 0) {
    log_warn("a batch of " + std::to_string(target.read.slice.length) + " bytes in " + target.topic + "/" +
             std::to_string(target.partition) + " does not fit a response frame; raise max.frame.bytes");
    target.read.header.error = ErrorCode::frame_too_large;
  }
  target.read.slice = {};
}

// Reads every target, long-polling until min_bytes arrive, the deadline
// passes, a target fails or the broker stops. Runs on any shard; reads and
// watches of targets on this shard are done in place, so when every target
// lives here a wake-up costs no trip between threads.
awaitable<std::vector<FetchTarget>> fetch_until_ready(Broker& broker, std::vector<FetchTarget> targets,
                                                      FetchLimits limits) {
  auto executor = co_await asio::this_coro::executor;
  auto timer = std::make_shared<asio::steady_timer>(executor);
  auto woken = std::make_shared<bool>(false);
  for (;;) {
    std::uint64_t total = 0;
    FetchBudget budget(limits.max_bytes, limits.overhead, limits.frame_limit);
    bool failed = false;
    *woken = false;
    for (auto& target : targets) {
      if (target.shard < 0) {
        failed = true;
        continue;
      }
      Shard& shard = broker.shard(static_cast<unsigned>(target.shard));
      target.read = co_await on_shard(shard, read_on_shard(shard, target.topic, target.partition, target.offset,
                                                           budget.want(target.max_bytes)));
      apply_budget(budget, target);
      failed = failed || target.read.header.error != ErrorCode::none;
      total += target.read.slice.length;
    }
    if (total >= limits.min_bytes || failed || broker.stopping() ||
        std::chrono::steady_clock::now() >= limits.deadline) {
      break;
    }

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
    for (const auto& target : targets) {
      Shard& shard = broker.shard(static_cast<unsigned>(target.shard));
      co_await on_shard(shard,
                        watch_on_shard(shard, target.topic, target.partition, target.read.header.log_end, wake));
    }
    if (*woken) continue;
    // Wake at least every 100 ms so a shutdown never waits out a long poll.
    timer->expires_at(std::min(limits.deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(100)));
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return targets;
}

// Counts what a Fetch answers with, on the connection's shard: records and
// bytes out per topic, and each partition's error.
void count_fetched(const std::vector<FetchTarget>& targets) {
  ShardMetrics& m = local_metrics();
  for (const auto& target : targets) {
    count_error(protocol::ApiKey::fetch, target.read.header.error);
    const auto& slice = target.read.slice;
    if (slice.length == 0) continue;
    TopicTraffic& t = m.topic_out[target.topic];
    t.bytes += slice.length;
    // Offsets from the one asked for to the slice's end: the records the
    // client keeps (it skips those of the first batch before its offset).
    const auto from = std::max(slice.first_offset.value(), target.offset);
    if (slice.next_offset.value() > from) t.messages += slice.next_offset.value() - from;
  }
}

ShardAffinity affinity_of(const std::vector<FetchTarget>& targets) {
  ShardAffinity affinity;
  for (const auto& target : targets) {
    if (target.shard >= 0) affinity.add(static_cast<unsigned>(target.shard));
  }
  return affinity;
}

}  // namespace

awaitable<Response> handle_fetch(Broker& broker, protocol::RequestHeader header, protocol::Bytes body) {
  auto request = decode_body<protocol::FetchRequest>(body);
  if (!request) co_return invalid_request(header.correlation_id, "malformed Fetch request");
  std::vector<FetchTarget> targets;
  for (const auto& t : request->topics) {
    TopicPtr topic = broker.topics().find(t.name);
    for (const auto& p : t.partitions) {
      FetchTarget target{t.name, p.partition, p.offset, p.max_bytes, -1, ErrorCode::none, {}};
      target.read.header.partition = p.partition;
      if (!topic) {
        target.read.header.error = ErrorCode::unknown_topic;
      } else if (p.partition >= topic->shard_of.size()) {
        target.read.header.error = ErrorCode::unknown_partition;
      } else {
        target.shard = static_cast<int>(topic->shard_of[p.partition]);
      }
      targets.push_back(std::move(target));
    }
  }
  const FetchLimits limits{std::chrono::steady_clock::now() + std::chrono::milliseconds(request->max_wait_ms),
                           request->min_bytes, request->max_bytes, fetch_response_overhead(*request),
                           fetch_frame_limit(broker.config())};
  if (!FetchBudget::fits(limits.overhead, limits.frame_limit)) {
    Response refused = Response::frame(protocol::error_response_frame(
        header.correlation_id, ErrorCode::frame_too_large,
        "a Fetch of " + std::to_string(targets.size()) + " partitions needs a response larger than the broker's " +
            "max.frame.bytes " + std::to_string(limits.frame_limit) + ": fetch fewer partitions per request"));
    refused.error = ErrorCode::frame_too_large;
    co_return refused;
  }
  // The usual fetch (one partition, or several on one shard) waits on that
  // shard: the append that wakes it is then on the same thread, and the
  // only trip between threads is the answer's, back to this connection.
  const ShardAffinity affinity = affinity_of(targets);
  if (!affinity.none() && !affinity.many()) {
    targets = co_await on_shard(broker.shard(affinity.shard()), fetch_until_ready(broker, std::move(targets), limits));
  } else {
    targets = co_await fetch_until_ready(broker, std::move(targets), limits);
  }
  count_fetched(targets);
  Response response = encode_fetch(header.correlation_id, *request, targets, limits.frame_limit);
  response.affinity = affinity;
  co_return response;
}

awaitable<Response> handle_list_offsets(Broker& broker, protocol::RequestHeader header, protocol::Bytes body) {
  auto request = decode_body<protocol::ListOffsetsRequest>(body);
  if (!request) co_return invalid_request(header.correlation_id, "malformed ListOffsets request");
  protocol::ListOffsetsResponse response;
  for (const auto& t : request->topics) {
    auto& out = response.topics.emplace_back();
    out.name = t.name;
    TopicPtr topic = broker.topics().find(t.name);
    for (const auto& p : t.partitions) {
      protocol::ListOffsetsPartitionResult result;
      result.partition = p.partition;
      if (!topic) {
        result.error = ErrorCode::unknown_topic;
      } else if (p.partition >= topic->shard_of.size()) {
        result.error = ErrorCode::unknown_partition;
      } else {
        Shard& shard = broker.shard(topic->shard_of[p.partition]);
        result = co_await asio::co_spawn(shard.context(),
                                         list_offset_on_shard(shard, t.name, p.partition, p.timestamp),
                                         asio::use_awaitable);
      }
      count_error(protocol::ApiKey::list_offsets, result.error);
      out.partitions.push_back(result);
    }
  }
  co_return encode_response(header.correlation_id, response);
}

}  // namespace strata::broker
