// A consumer of explicitly assigned partitions: each starts at an offset,
// the earliest or latest offset, or the first offset at a time; poll() long-
// polls one fetch for all of them and returns the records in order per
// partition, skipping the records of a batch that precede the position.
//
// Threads: one thread at a time.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/client.h"
#include "client/producer.h"

namespace strata::client {

struct StartPosition {
  enum class Kind { offset, earliest, latest, timestamp } kind = Kind::earliest;
  std::int64_t value = 0;
  static StartPosition at(std::uint64_t offset) { return {Kind::offset, static_cast<std::int64_t>(offset)}; }
  static StartPosition earliest() { return {Kind::earliest, 0}; }
  static StartPosition latest() { return {Kind::latest, 0}; }
  static StartPosition at_time(std::int64_t ms) { return {Kind::timestamp, ms}; }
};

struct ConsumerRecord {
  std::string topic;
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
  std::int64_t timestamp = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<Header> headers;
};

struct ConsumerOptions {
  std::uint32_t max_bytes = 50u << 20;
  std::uint32_t partition_max_bytes = 4u << 20;
  std::uint32_t min_bytes = 1;
  // After OFFSET_OUT_OF_RANGE (e.g. retention deleted the position): jump to
  // the earliest offset instead of throwing.
  bool reset_to_earliest = false;
};

class Consumer {
 public:
  explicit Consumer(Client& client, ConsumerOptions options = {});

  void assign(const std::string& topic, std::uint32_t partition, StartPosition start);
  // Waits up to timeout_ms for records; empty if none arrived.
  [[nodiscard]] std::vector<ConsumerRecord> poll(int timeout_ms);

  // Next offset to be returned for the partition (resolves the start).
  [[nodiscard]] std::uint64_t position(const std::string& topic, std::uint32_t partition);
  // The log end seen by the last fetch (or a lookup if none yet).
  [[nodiscard]] std::uint64_t log_end(const std::string& topic, std::uint32_t partition);
  // Every assigned partition's position has reached its log end as of the
  // last poll.
  [[nodiscard]] bool at_end();

 private:
  struct Assignment {
    StartPosition start;
    std::optional<std::uint64_t> position;  // resolved start
    std::optional<std::uint64_t> log_end;
  };
  using Key = std::pair<std::string, std::uint32_t>;
  std::uint64_t resolve(const Key& key, Assignment& a);
  void decode_records(const Key& key, Assignment& a, protocol::Bytes records, std::vector<ConsumerRecord>& out);

  Client& client_;
  ConsumerOptions options_;
  std::map<Key, Assignment> assignments_;
};

}  // namespace strata::client
