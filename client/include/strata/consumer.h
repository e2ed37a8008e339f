/// @file strata/consumer.h
/// @brief Reading records: assigned partitions, long polls.
///
/// Part of strata's public client API (standard library types only).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strata/client.h"
#include "strata/errors.h"
#include "strata/producer.h"

namespace strata {

/// Where a partition's reading starts.
struct StartPosition {
  /// Which of the four starts.
  enum class Kind {
    offset,     ///< at `value`, an offset
    earliest,   ///< at the log's start
    latest,     ///< at the log's end
    timestamp,  ///< at the first record at or after `value`, ms since 1970
  };
  Kind kind = Kind::earliest;  ///< which start
  std::int64_t value = 0;      ///< the offset or time, for Kind::offset and Kind::timestamp
  /// At this offset (past the log's end: Error offset_out_of_range, or the
  /// reset ConsumerOptions::offset_reset names).
  static StartPosition at(std::uint64_t offset) { return {Kind::offset, static_cast<std::int64_t>(offset)}; }
  /// At the first record still in the log.
  static StartPosition earliest() { return {Kind::earliest, 0}; }
  /// After the last record: only records written from now on.
  static StartPosition latest() { return {Kind::latest, 0}; }
  /// At the first record at or after `ms` (since 1970, >= 0).
  static StartPosition at_time(std::int64_t ms) { return {Kind::timestamp, ms}; }
};

/// A record as read, owning its bytes.
struct ConsumerRecord {
  std::string topic;                 ///< the topic it was read from
  std::uint32_t partition = 0;       ///< its partition
  std::uint64_t offset = 0;          ///< its offset in the partition
  std::int64_t timestamp = 0;        ///< ms since 1970
  std::optional<std::string> key;    ///< null if it had none (not the same as empty)
  std::optional<std::string> value;  ///< null if it had none (not the same as empty)
  std::vector<Header> headers;       ///< in the order they were sent
};

/// A fetched record seen in place by Consumer::poll_each(): views into the
/// fetched bytes, valid only during the visitor's call (copy what you keep,
/// or call to_record()). Made by the library only.
class STRATA_API RecordView {
 public:
  /// For the library: `record` is its decoded record (for headers()).
  RecordView(const std::string& topic, std::uint32_t partition, std::uint64_t offset, std::int64_t timestamp,
             std::optional<std::string_view> key, std::optional<std::string_view> value,
             const void* record) noexcept
      : topic_(&topic), partition_(partition), offset_(offset), timestamp_(timestamp), key_(key), value_(value),
        record_(record) {}
  /// The topic it was read from.
  [[nodiscard]] const std::string& topic() const noexcept { return *topic_; }
  /// Its partition.
  [[nodiscard]] std::uint32_t partition() const noexcept { return partition_; }
  /// Its offset in the partition.
  [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }
  /// Its timestamp, ms since 1970.
  [[nodiscard]] std::int64_t timestamp() const noexcept { return timestamp_; }
  /// Its key (null if it had none).
  [[nodiscard]] std::optional<std::string_view> key() const noexcept { return key_; }
  /// Its value (null if it had none).
  [[nodiscard]] std::optional<std::string_view> value() const noexcept { return value_; }
  /// Its headers, copied (a null header value reads as empty).
  [[nodiscard]] std::vector<Header> headers() const;
  /// The record, copied.
  [[nodiscard]] ConsumerRecord to_record() const;

 private:
  const std::string* topic_;
  std::uint32_t partition_;
  std::uint64_t offset_;
  std::int64_t timestamp_;
  std::optional<std::string_view> key_;
  std::optional<std::string_view> value_;
  const void* record_;
};

/// Consumer::poll_each()'s visitor: called once per record, in order.
using RecordVisitor = std::function<void(const RecordView&)>;

/// How a Consumer fetches.
struct ConsumerOptions {
  std::uint32_t max_bytes = 50u << 20;           ///< most bytes one fetch returns
  std::uint32_t partition_max_bytes = 4u << 20;  ///< most bytes one fetch returns per partition
  std::uint32_t min_bytes = 1;                   ///< a poll waits for this many bytes (or its timeout)
  /// What a partition whose position left its log (offset_out_of_range,
  /// e.g. retention deleted it) does, like Kafka's auto.offset.reset: none
  /// reports the error, earliest / latest move the position there.
  enum class OffsetReset { none, earliest, latest };
  OffsetReset offset_reset = OffsetReset::none;  ///< see OffsetReset
};

/// Reads the partitions assigned to it, in order within each partition.
///
/// Threads: one thread at a time (it is not thread-safe); it fetches over
/// connections of its own, one per broker it reads from (in cluster mode
/// each partition is fetched from its leader). Blocking: poll() up to its
/// timeout. Errors: strata::Error; a partition's error never costs another
/// partition's records, and a position advances only past records handed
/// over.
class STRATA_API Consumer {
 public:
  /// `client` must outlive the Consumer.
  explicit Consumer(Client& client, ConsumerOptions options = {});
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  /// Reads the partition from `start` (again, if it was assigned).
  void assign(const std::string& topic, std::uint32_t partition, StartPosition start);
  /// Waits up to timeout_ms for records of the assigned partitions; empty
  /// if none arrived. A partition's error is thrown by this poll if it
  /// returned nothing, else by the next one. In cluster mode a partition
  /// whose broker is down is such an error (leader_not_available,
  /// retriable) while the others are read; one that moved is fetched from
  /// its new leader without an error.
  [[nodiscard]] std::vector<ConsumerRecord> poll(int timeout_ms);
  /// poll() without copying: calls `visit` for each record in order and
  /// returns how many there were (for readers that need speed).
  std::size_t poll_each(int timeout_ms, const RecordVisitor& visit);
  /// The log end the last fetch saw for the partition (a lookup if none yet).
  [[nodiscard]] std::uint64_t log_end(const std::string& topic, std::uint32_t partition);
  /// The next offset poll() hands over for the partition.
  [[nodiscard]] std::uint64_t position(const std::string& topic, std::uint32_t partition);
  /// Whether every assigned partition was read to its end as of the last poll.
  [[nodiscard]] bool at_end();

  struct Impl;  ///< opaque

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata
