#include "broker/ops/metrics.h"

#include <algorithm>

namespace strata::broker {

namespace {

constexpr double kLatency[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                               0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,     10};
constexpr double kBatchBytes[] = {64,     256,     1024,     4096,     16384,     65536,
                                  262144, 1048576, 4194304, 16777216, 67108864};
constexpr double kBatchRecords[] = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536};
constexpr double kGroupCommit[] = {1, 2, 4, 8, 16, 64, 256, 1024, 4096, 16384, 65536};

thread_local ShardMetrics* bound = nullptr;

}  // namespace

const Buckets kLatencyBuckets{kLatency};
const Buckets kBatchBytesBuckets{kBatchBytes};
const Buckets kBatchRecordsBuckets{kBatchRecords};
const Buckets kGroupCommitBuckets{kGroupCommit};

void Histogram::observe(double value) noexcept {
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  ++counts_[static_cast<std::size_t>(it - bounds_.begin())];
  sum_ += value;
  ++count_;
}

void Histogram::merge(const Histogram& other) noexcept {
  for (std::size_t i = 0; i < counts_.size() && i < other.counts_.size(); ++i) counts_[i] += other.counts_[i];
  sum_ += other.sum_;
  count_ += other.count_;
}

void ShardMetrics::merge(const ShardMetrics& other) {
  for (std::size_t a = 0; a < kApiSlots; ++a) {
    apis[a].requests += other.apis[a].requests;
    for (std::size_t e = 0; e < kErrorSlots; ++e) apis[a].errors[e] += other.apis[a].errors[e];
    apis[a].latency.merge(other.apis[a].latency);
  }
  for (std::size_t a = 0; a < kKafkaApiSlots; ++a) {
    kafka_apis[a].requests += other.kafka_apis[a].requests;
    kafka_apis[a].latency.merge(other.kafka_apis[a].latency);
  }
  produce_batch_bytes.merge(other.produce_batch_bytes);
  produce_batch_records.merge(other.produce_batch_records);
  fsync_seconds.merge(other.fsync_seconds);
  group_commit_offsets.merge(other.group_commit_offsets);
  fsync_errors += other.fsync_errors;
  connections_accepted += other.connections_accepted;
  connections_refused_max += other.connections_refused_max;
  connections_refused_descriptors += other.connections_refused_descriptors;
  connections_moved += other.connections_moved;
  retention_segments_deleted += other.retention_segments_deleted;
  retention_bytes_freed += other.retention_bytes_freed;
  for (const auto& [topic, t] : other.topic_out) {
    auto& mine = topic_out[topic];
    mine.messages += t.messages;
    mine.bytes += t.bytes;
  }
}

ShardMetrics& local_metrics() noexcept {
  if (bound) return *bound;
  thread_local ShardMetrics scratch;
  return scratch;
}

void bind_local_metrics(ShardMetrics* m) noexcept { bound = m; }

void count_error(protocol::ApiKey api, protocol::ErrorCode code) noexcept {
  if (code == protocol::ErrorCode::none) return;
  const auto a = std::min<std::size_t>(static_cast<std::size_t>(api), kApiSlots - 1);
  const auto e = std::min<std::size_t>(static_cast<std::size_t>(code), kErrorSlots - 1);
  ++local_metrics().apis[a].errors[e];
}

}  // namespace strata::broker
