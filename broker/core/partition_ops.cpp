#include "broker/core/partition_ops.h"

#include "broker/core/error_mapping.h"
#include "broker/runtime/logger.h"
#include "broker/ops/metrics.h"
#include "storage/storage_errc.h"

namespace strata::broker {

namespace {
// The request's handler checked the partition against the topic it looked
// up, so a partition missing here means its topic was deleted since (or is
// being deleted): UNKNOWN_TOPIC, not "the topic has fewer partitions".
constexpr Errc kGone = Errc::unknown_topic;
// The partition, or null with `answer` (a result with partition, error and
// message fields) saying it is gone.
template <typename Answer>
PartitionPtr find_or_gone(Shard& shard, const std::string& topic, std::uint32_t partition, Answer& answer) {
  answer.partition = partition;
  PartitionPtr p = shard.find(topic, partition);
  if (!p) {
    answer.error = kGone;
    answer.message = "topic '" + topic + "' was deleted (partition " + std::to_string(partition) + " is gone)";
  }
  return p;
}
}  // namespace

Appended append_on_shard(Shard& shard, const std::string& topic, std::uint32_t partition,
                         const protocol::ValidatedBatch& batch) {
  Appended out;
  ProduceResult& result = out.result;
  PartitionPtr p = find_or_gone(shard, topic, partition, result);
  if (!p) return out;
  if (batch.bytes().size() > p->max_message_bytes) {
    result.error = Errc::batch_too_large;
    result.message = "batch of " + std::to_string(batch.bytes().size()) + " bytes exceeds max.message.bytes " +
                     std::to_string(p->max_message_bytes);
    return out;
  }
  auto appended = p->log->append(batch);
  if (!appended) {
    Status status = to_status(appended.error());
    result.error = status.code;
    result.message = std::move(status.message);
    if (appended.error() == storage::StorageErrc::invalid_timestamp) {
      // The record's timestamp, the clock and the bound, for the producer.
      if (auto refusal = p->log->check_timestamps(batch)) result.message = refusal->message();
    }
    return out;
  }
  result.base_offset = appended.value().base.value();
  result.log_start = p->log->log_start().value();
  if (appended.value().duplicate) {
    log_debug("produce to " + topic + "/" + std::to_string(partition) + ": producer " +
              std::to_string(batch.header().producer_id) + " resent sequence " +
              std::to_string(batch.header().base_sequence) + ", answered with its first offset " +
              std::to_string(result.base_offset));
  } else {
    p->messages_in += batch.header().record_count;
    p->bytes_in += batch.bytes().size();
    ShardMetrics& m = local_metrics();
    m.produce_batch_bytes.observe(static_cast<double>(batch.bytes().size()));
    m.produce_batch_records.observe(batch.header().record_count);
    p->notify_appended();
    if (p->log->cache_drop_due()) shard.request_sync(p);
  }
  out.partition = std::move(p);
  out.durable_end = appended.value().last + 1;
  return out;
}

awaitable<ProduceResult> ack_on_shard(Shard& shard, Appended appended, AckLevel acks) {
  if (acks == AckLevel::durable && appended.partition) {
    const std::error_code ec = co_await wait_durable(shard, appended.partition, appended.durable_end);
    if (ec) {
      const Status status = to_status(ec);
      appended.result.error = status.code;
      appended.result.message = "not durable: " + status.message;
    }
  }
  co_return std::move(appended.result);
}

awaitable<ProduceResult> produce_on_shard(Shard& shard, std::string topic, std::uint32_t partition,
                                          protocol::ValidatedBatch batch, AckLevel acks) {
  co_return co_await ack_on_shard(shard, append_on_shard(shard, topic, partition, batch), acks);
}

awaitable<PartitionRead> read_on_shard(Shard& shard, std::string topic, std::uint32_t partition,
                                       std::uint64_t offset, std::uint32_t max_bytes) {
  PartitionRead r;
  PartitionPtr p = find_or_gone(shard, topic, partition, r);
  if (!p) co_return r;
  r.log_start = p->log->log_start().value();
  r.log_end = p->log->log_end().value();
  auto slice = p->log->read(storage::Offset(offset), max_bytes);
  if (!slice) {
    r.error = to_status(slice.error()).code;
    r.message = slice.error().message();
    co_return r;
  }
  r.slice = std::move(slice).value();
  co_return r;
}

awaitable<void> watch_on_shard(Shard& shard, std::string topic, std::uint32_t partition, std::uint64_t seen_end,
                               std::function<void()> wake) {
  PartitionPtr p = shard.find(topic, partition);
  if (!p || p->log->log_end().value() > seen_end) {
    wake();
    co_return;
  }
  p->fetch_waiters.push_back(std::move(wake));
}

awaitable<OffsetLookup> list_offset_on_shard(Shard& shard, std::string topic, std::uint32_t partition,
                                             std::int64_t timestamp) {
  OffsetLookup r;
  r.partition = partition;
  PartitionPtr p = shard.find(topic, partition);
  if (!p) {
    r.error = kGone;
    co_return r;
  }
  if (timestamp == kLatestTimestamp) {
    r.offset = static_cast<std::int64_t>(p->log->log_end().value());
  } else if (timestamp == kEarliestTimestamp) {
    r.offset = static_cast<std::int64_t>(p->log->log_start().value());
  } else {
    auto found = p->log->offset_for_timestamp(timestamp);
    if (!found) {
      r.error = to_status(found.error()).code;
    } else if (found.value()) {
      r.offset = static_cast<std::int64_t>(found.value()->value());
    }
  }
  co_return r;
}

namespace {
// One answer per key, in order: `fill` sets what it knows of a partition
// this shard owns; a partition gone since the lookup is kGone.
template <typename T, typename Fill>
std::vector<T> for_each_key(Shard& shard, const std::vector<PartitionKey>& keys, Fill fill) {
  std::vector<T> out;
  out.reserve(keys.size());
  for (const auto& k : keys) {
    T& m = out.emplace_back();
    m.partition = k.partition;
    if (PartitionPtr p = shard.find(k.topic, k.partition)) {
      fill(*p->log, m);
    } else {
      m.error = kGone;
    }
  }
  return out;
}

void fill_stats(const storage::PartitionLog& log, PartitionStats& m) {
  m.log_start = log.log_start().value();
  m.log_end = log.log_end().value();
  m.size_bytes = log.size_bytes();
}

void fill_retention(const storage::PartitionLog& log, PartitionRetentionInfo& r) {
  r.status = log.retention_status();
  r.text = storage::describe_hold(r.status, log.config());
}
}  // namespace

awaitable<std::vector<PartitionStats>> describe_on_shard(Shard& shard, std::vector<PartitionKey> keys) {
  co_return for_each_key<PartitionStats>(shard, keys, &fill_stats);
}

awaitable<std::vector<PartitionRetentionInfo>> retention_on_shard(Shard& shard, std::vector<PartitionKey> keys) {
  co_return for_each_key<PartitionRetentionInfo>(shard, keys, &fill_retention);
}

}  // namespace strata::broker
