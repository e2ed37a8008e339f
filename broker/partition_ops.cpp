#include "broker/partition_ops.h"

#include "broker/logger.h"
#include "storage/storage_errc.h"

namespace strata::broker {

using protocol::ErrorCode;

namespace {
// The request's handler checked the partition against the topic it looked
// up, so a partition missing here means its topic was deleted since (or is
// being deleted): UNKNOWN_TOPIC, not "the topic has fewer partitions".
constexpr ErrorCode kGone = ErrorCode::unknown_topic;
std::string gone(const std::string& topic, std::uint32_t partition) {
  return "topic '" + topic + "' was deleted (partition " + std::to_string(partition) + " is gone)";
}
}  // namespace

Appended append_on_shard(Shard& shard, const std::string& topic, std::uint32_t partition,
                         const protocol::ValidatedBatch& batch) {
  Appended out;
  protocol::ProducePartitionResult& result = out.result;
  result.partition = partition;
  PartitionPtr p = shard.find(topic, partition);
  if (!p) {
    result.error = kGone;
    result.message = gone(topic, partition);
    return out;
  }
  if (batch.bytes().size() > p->max_message_bytes) {
    result.error = ErrorCode::batch_too_large;
    result.message = "batch of " + std::to_string(batch.bytes().size()) + " bytes exceeds max.message.bytes " +
                     std::to_string(p->max_message_bytes);
    return out;
  }
  auto appended = p->log->append(batch);
  if (!appended) {
    auto wire = to_wire_error(appended.error());
    result.error = wire.code;
    result.message = wire.message;
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
    p->notify_appended();
    if (p->log->cache_drop_due()) shard.request_sync(p);
  }
  out.partition = std::move(p);
  out.durable_end = appended.value().last + 1;
  return out;
}

awaitable<protocol::ProducePartitionResult> ack_on_shard(Shard& shard, Appended appended, protocol::Acks acks) {
  if (acks == protocol::Acks::durable && appended.partition) {
    const std::error_code ec = co_await wait_durable(shard, appended.partition, appended.durable_end);
    if (ec) {
      auto wire = to_wire_error(ec);
      appended.result.error = wire.code;
      appended.result.message = "not durable: " + wire.message;
    }
  }
  co_return std::move(appended.result);
}

awaitable<protocol::ProducePartitionResult> produce_on_shard(Shard& shard, std::string topic,
                                                             std::uint32_t partition,
                                                             protocol::ValidatedBatch batch, protocol::Acks acks) {
  co_return co_await ack_on_shard(shard, append_on_shard(shard, topic, partition, batch), acks);
}

awaitable<ReadResult> read_on_shard(Shard& shard, std::string topic, std::uint32_t partition,
                                    std::uint64_t offset, std::uint32_t max_bytes) {
  ReadResult r;
  r.header.partition = partition;
  PartitionPtr p = shard.find(topic, partition);
  if (!p) {
    r.header.error = kGone;
    r.message = gone(topic, partition);
    co_return r;
  }
  r.header.log_start = p->log->log_start().value();
  r.header.log_end = p->log->log_end().value();
  auto slice = p->log->read(storage::Offset(offset), max_bytes);
  if (!slice) {
    r.header.error = to_wire_error(slice.error()).code;
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

awaitable<protocol::ListOffsetsPartitionResult> list_offset_on_shard(Shard& shard, std::string topic,
                                                                     std::uint32_t partition,
                                                                     std::int64_t timestamp) {
  protocol::ListOffsetsPartitionResult r;
  r.partition = partition;
  PartitionPtr p = shard.find(topic, partition);
  if (!p) {
    r.error = kGone;
    co_return r;
  }
  if (timestamp == protocol::kLatestTimestamp) {
    r.offset = static_cast<std::int64_t>(p->log->log_end().value());
  } else if (timestamp == protocol::kEarliestTimestamp) {
    r.offset = static_cast<std::int64_t>(p->log->log_start().value());
  } else {
    auto found = p->log->offset_for_timestamp(timestamp);
    if (!found) {
      r.error = to_wire_error(found.error()).code;
    } else if (found.value()) {
      r.offset = static_cast<std::int64_t>(found.value()->value());
    }
  }
  co_return r;
}

awaitable<std::vector<protocol::PartitionMetadata>> describe_on_shard(Shard& shard, std::vector<PartitionKey> keys) {
  std::vector<protocol::PartitionMetadata> out;
  out.reserve(keys.size());
  for (const auto& k : keys) {
    protocol::PartitionMetadata m;
    m.partition = k.partition;
    if (PartitionPtr p = shard.find(k.topic, k.partition)) {
      m.log_start = p->log->log_start().value();
      m.log_end = p->log->log_end().value();
      m.size_bytes = p->log->size_bytes();
    } else {
      m.error = kGone;
    }
    out.push_back(m);
  }
  co_return out;
}

}  // namespace strata::broker
