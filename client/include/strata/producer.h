/// @file strata/producer.h
/// @brief Sending records: a batching, idempotent producer.
///
/// Part of strata's public client API (standard library types only).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "strata/client.h"
#include "strata/errors.h"

namespace strata {

/// When the broker acknowledges a produce.
enum class Acks : std::uint8_t {
  none = 0,     ///< never: the callback runs once the request is written (offset -1)
  leader = 1,   ///< once appended to the log (the page cache)
  durable = 2,  ///< once appended and fsynced
};

/// The codec a batch's records are compressed with (Kafka's four).
enum class Compression : std::uint8_t { none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4 };

/// A record header: a name and a value (both bytes).
struct Header {
  std::string name;   ///< the header's name
  std::string value;  ///< its value (any bytes)
};

/// The partition a key goes to in a topic of `partitions` partitions
/// (XXH3-64 of the key's bytes mod partitions), as Producer::send() routes
/// it. REQUIRES: partitions > 0. Never blocks.
[[nodiscard]] STRATA_API std::uint32_t partition_for_key(std::string_view key, std::uint32_t partitions);

/// One record to send. The views (key, value, headers) need only live
/// until send() returns: send() copies them.
struct ProducerRecord {
  std::string topic;  ///< the topic to send to
  std::optional<std::string_view> key;    ///< picks the partition (XXH3-64 mod partitions); null is not empty
  std::optional<std::string_view> value;  ///< null is not empty
  std::span<const Header> headers = {};  ///< the record's headers, in order
  std::optional<std::uint32_t> partition;  ///< overrides the key
  std::optional<std::int64_t> timestamp;   ///< ms since 1970; default: now
};

/// Where an acknowledged record was stored.
struct RecordMetadata {
  std::string topic;            ///< the topic it went to
  std::uint32_t partition = 0;  ///< the partition it went to
  std::int64_t offset = -1;  ///< -1 with Acks::none
};

/// Called once per record: exactly one of the two pointers is non-null, and
/// both are valid only during the call. It runs on a library thread (or
/// inside a send() for some failures): it must be quick, must not call
/// flush(), and must not take a lock the caller of send() holds.
using SendCallback = std::function<void(const RecordMetadata*, const Error*)>;

/// How a Producer batches, retries and acknowledges.
struct ProducerOptions {
  Acks acks = Acks::leader;  ///< when the broker acknowledges
  std::uint32_t linger_ms = 5;  ///< how long a batch may wait to fill
  /// A batch closes at this size, or at the topic's max.message.bytes if
  /// smaller (read from the broker once per topic).
  std::size_t batch_bytes = 256 * 1024;
  std::uint32_t max_in_flight = 8;  ///< requests awaiting a reply
  /// Each partition's batches carry a producer id and sequence numbers, so
  /// a retry is never written twice and a partition's order is kept.
  bool idempotence = true;
  /// With idempotence: 1..5 (the batches the broker remembers per producer).
  std::uint32_t max_in_flight_per_partition = 5;
  /// Resends of a batch after retriable errors; by default as many as
  /// delivery_timeout_ms allows.
  std::uint32_t retries = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t retry_backoff_ms = 100;  ///< wait before a resend
  /// How long a record may wait for its acknowledgement, retries included
  /// (Kafka's delivery.timeout.ms); then its callback gets Error (timeout)
  /// saying whether it was never sent (not in the log) or may be in it.
  std::uint32_t delivery_timeout_ms = 120000;
  std::size_t buffer_bytes = 64u << 20;  ///< memory for unacknowledged records; send() blocks beyond it
  Compression compression = Compression::none;  ///< each batch's codec (batches are sized before it)
  /// How long send() may block for buffer space (Kafka's max.block.ms);
  /// then it throws Error (timeout) and the record is not queued.
  std::uint32_t max_block_ms = 60000;
};

/// Sends records to any topic of its Client's broker in batches; in
/// cluster mode each partition's batches go to its leader (one request
/// per leader), and a partition whose broker is down is retried until
/// delivery_timeout_ms, then fails naming the partition and that broker.
///
/// Threads: send(), flush() and partition_for() may be called from any
/// thread at the same time. Blocking: send() blocks only for buffer space
/// (max_block_ms) and, with linger 0, to write; flush() until every record
/// sent before it finished. The destructor flushes. Errors: strata::Error.
class STRATA_API Producer {
 public:
  /// Throws Error (usage) for options it cannot honour and, with
  /// idempotence, the broker's error if it cannot get a producer id.
  /// `client` must outlive the Producer.
  explicit Producer(Client& client, ProducerOptions options = {});
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  /// Queues a record; `callback` reports its outcome. Throws Error at once
  /// for an unknown topic or partition and after max_block_ms without
  /// buffer space; a record larger than the topic's max.message.bytes
  /// fails through the callback (batch_too_large), no other record does.
  void send(const ProducerRecord& record, SendCallback callback = {});
  /// send() with a future: get() returns the metadata or throws Error.
  [[nodiscard]] std::future<RecordMetadata> send_future(const ProducerRecord& record);
  /// Sends everything queued and waits until each record is acknowledged
  /// or has failed.
  void flush();
  /// flush() that gives up after `timeout`: true if everything finished.
  [[nodiscard]] bool flush_for(std::chrono::milliseconds timeout);
  /// The partition a record with this key would go to (no key: the current
  /// sticky partition). Learns the topic's partition count and
  /// max.message.bytes if it did not know them.
  [[nodiscard]] std::uint32_t partition_for(const std::string& topic, std::optional<std::string_view> key);

  struct Impl;  ///< opaque

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata
