// Broker metrics (README, "Operations"): plain counters and fixed-bucket
// histograms kept per shard. Threads: a ShardMetrics is written only by its
// shard's thread and read only by a task posted to that thread (a scrape,
// metrics_snapshot.h), so the data path takes no lock and does no atomic
// read-modify-write. Code running on a shard reaches its shard's metrics
// with local_metrics(); on any other thread that returns a scratch instance
// nobody reads (unit tests, the blocking pool).
//
// Cardinality: per API (9 + "unknown"), per API and error code (22), per
// topic for bytes and messages out; every label set is bounded by the
// protocol or by the topics that exist.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/error_code.h"
#include "protocol/frame.h"

namespace strata::broker {

// HTTP connections the metrics listener serves at once; more are closed.
inline constexpr unsigned kMetricsMaxConnections = 8;

// Upper bounds ("le") of a histogram's buckets; +Inf is implied.
using Buckets = std::span<const double>;
extern const Buckets kLatencyBuckets;       // seconds, 100 us .. 10 s
extern const Buckets kBatchBytesBuckets;    // bytes, 64 B .. 64 MiB
extern const Buckets kBatchRecordsBuckets;  // records, 1 .. 64 Ki
extern const Buckets kGroupCommitBuckets;   // offsets made durable by one sync

class Histogram {
 public:
  explicit Histogram(Buckets bounds) : bounds_(bounds), counts_(bounds.size() + 1, 0) {}
  void observe(double value) noexcept;
  void merge(const Histogram& other) noexcept;
  [[nodiscard]] Buckets bounds() const noexcept { return bounds_; }
  // Per bucket (not cumulative), the last one being +Inf.
  [[nodiscard]] const std::vector<std::uint64_t>& counts() const noexcept { return counts_; }
  [[nodiscard]] double sum() const noexcept { return sum_; }
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }

 private:
  Buckets bounds_;
  std::vector<std::uint64_t> counts_;
  double sum_ = 0;
  std::uint64_t count_ = 0;
};

// Slots: one per API key, then one for keys the broker does not know.
inline constexpr std::size_t kApiSlots = protocol::kApiKeyCount + 1;
inline constexpr std::size_t kErrorSlots = static_cast<std::size_t>(protocol::kLastErrorCode) + 1;

struct ApiMetrics {
  std::uint64_t requests = 0;
  std::array<std::uint64_t, kErrorSlots> errors{};  // by error code; [0] unused
  Histogram latency{kLatencyBuckets};
};

// Kafka's front door: one slot per Kafka API key up to the highest served
// (IncrementalAlterConfigs, 44); requests for others close the connection
// before dispatch and are not counted.
inline constexpr std::size_t kKafkaApiSlots = 45;

struct KafkaApiMetrics {
  std::uint64_t requests = 0;
  Histogram latency{kLatencyBuckets};
};

struct TopicTraffic {
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
};

struct ShardMetrics {
  std::array<ApiMetrics, kApiSlots> apis;
  std::array<KafkaApiMetrics, kKafkaApiSlots> kafka_apis;
  Histogram produce_batch_bytes{kBatchBytesBuckets};
  Histogram produce_batch_records{kBatchRecordsBuckets};
  Histogram fsync_seconds{kLatencyBuckets};       // one group-commit or background sync ticket
  Histogram group_commit_offsets{kGroupCommitBuckets};
  std::uint64_t fsync_errors = 0;
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_refused_max = 0;          // at max.connections
  std::uint64_t connections_refused_descriptors = 0;  // out of open files
  std::uint64_t connections_moved = 0;                // moved away from this shard
  std::uint64_t retention_segments_deleted = 0;
  std::uint64_t retention_bytes_freed = 0;
  // Fetched records sent, by topic, counted on the connection's shard once
  // the response is built (a long poll's earlier reads are not counted).
  std::unordered_map<std::string, TopicTraffic> topic_out;

  void merge(const ShardMetrics& other);
};

// The calling shard thread's metrics (see the file comment).
[[nodiscard]] ShardMetrics& local_metrics() noexcept;
// Binds the calling thread to m. REQUIRES: m outlives the thread's use.
void bind_local_metrics(ShardMetrics* m) noexcept;

// Counts one error of an API (ErrorCode::none is not counted).
void count_error(protocol::ApiKey api, protocol::ErrorCode code) noexcept;

}  // namespace strata::broker
