// A consumer of explicitly assigned partitions: each starts at an offset,
// the earliest or latest offset, or the first offset at a time; poll() long-
// polls one fetch per broker that leads some of them (standalone: one
// fetch) and returns the records in order per partition, skipping the
// records of a batch that precede the position. A broker's fetch still
// out when poll() returns (another broker answered first) is read by the
// next poll() rather than sent again.
//
// Threads: one thread at a time.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/fetch_links.h"
#include "client/client.h"
#include "client/producer.h"
#include "protocol/record.h"
#include "strata/consumer.h"

namespace strata::client {

// The public value types (strata/consumer.h) are the library's own.
using strata::ConsumerRecord;
using strata::StartPosition;

// The public view (strata/consumer.h): its record pointer is the
// protocol::Record being visited.
using strata::RecordView;
using strata::RecordVisitor;

using strata::ConsumerOptions;

class Consumer {
 public:
  explicit Consumer(Client& client, ConsumerOptions options = {});

  void assign(const std::string& topic, std::uint32_t partition, StartPosition start);
  // Waits up to timeout_ms for records; empty if none arrived.
  // Partition errors (OFFSET_OUT_OF_RANGE without a reset, UNKNOWN_TOPIC, a
  // corrupt batch) never cost records: a partition's position advances
  // only past records handed to the caller, the records other partitions
  // returned are delivered, and the first partition's error is thrown as a
  // ClientError by this poll if it returned nothing, else by the next one
  // (before it fetches; assign() of that partition drops it). A broker's
  // network error or LEADER_NOT_AVAILABLE (its broker is down) is such an
  // error of its partitions, and their leaders are looked up again at the
  // next poll; NOT_LEADER (the partition moved) is only that: the next
  // poll fetches it from its new leader.
  [[nodiscard]] std::vector<ConsumerRecord> poll(int timeout_ms);
  // The same without copying: calls visit for each record in order and
  // returns how many there were. For readers that need speed (perf consume).
  std::size_t poll_each(int timeout_ms, const RecordVisitor& visit);

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
  struct PendingError {
    Key key;
    ClientError error;
  };
  std::uint64_t resolve(const Key& key, Assignment& a);
  // Visits the records at or past a's position, advancing it after each.
  // A batch that fails validation stops there: returned as the error.
  std::optional<ClientError> decode_records(const Key& key, Assignment& a, protocol::Bytes records,
                                            const RecordVisitor& visit, std::size_t& visited);
  // options_.offset_reset, the one place it is applied: true when the
  // partition's error was OFFSET_OUT_OF_RANGE and its position was moved.
  bool reset_position(Assignment& a, const protocol::FetchPartitionHeader& header) const;
  // Throws the pending partition error, if any, and forgets it.
  void throw_pending();
  // Keeps the first error of a poll for the caller (throw_pending).
  void hold(const Key& key, ClientError error);
  // Sends a fetch to each broker leading assigned partitions that have no
  // fetch out.
  void send_fetches(int timeout_ms);
  // Hands over one broker's reply; returns how many records it visited.
  std::size_t take_reply(FetchLinks::Reply& reply, const RecordVisitor& visit);
  // Decompressed records of the batch being visited (RecordViews point into
  // it until the next batch).
  std::vector<std::uint8_t> scratch_;
  std::vector<protocol::Record> batch_records_;  // the batch being visited, checked whole first

  Client& client_;
  ConsumerOptions options_;
  // Fetches go over connections of the consumer's own that this thread
  // reads itself; lookups (list offsets) use the client's.
  FetchLinks links_;
  std::map<Key, Assignment> assignments_;
  std::optional<PendingError> pending_;  // withheld so a poll's records were delivered
};

}  // namespace strata::client
