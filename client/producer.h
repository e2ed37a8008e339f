// Batching producer (issue: client library). send() routes each record to a
// partition (explicit, else XXH3-64 of the key, else sticky for keyless
// records), appends it to that partition's open batch, and ships batches in
// produce requests, several in flight at once: a batch that fills
// (batch_bytes), and with linger_ms 0 every record, is written by the
// thread calling send() unless another thread is writing; a sender thread
// ships batches that grow old (linger_ms) and retries.
//
// Ordering and retries: with idempotence (the default) each partition's
// batches carry a producer id and epoch (allocated by the broker with
// InitProducerId when the Producer is made) and sequence numbers the broker
// checks, so up
// to max_in_flight_per_partition batches of a partition may be in flight:
// a resent batch the broker already has is answered with its first offsets,
// not appended again, and after any failure the partition sends nothing new
// until its in-flight batches are back, then resends in order. A batch
// keeps its numbers once sent; one that fails for good leaves the sequence
// unresolved, and the partition starts over under a new producer id only
// when nothing it sent is outstanding (partition_queue.h). Without
// idempotence a partition has one batch in flight; a retry after a lost
// reply may then duplicate a batch, never reorder one.
// Threads: send/flush from any thread. Callbacks run on the connection's
// reader thread, the sender thread, or inside a send() that wrote a
// request (its failure callbacks, and with acks=none every callback); they
// must be quick and must not take a lock the caller of send() holds, nor
// call flush(). A send() that writes may block on the socket, on a
// reconnect (connect_timeout_ms) or, in cluster mode, on a metadata lookup
// for a partition whose leader it does not know (request_timeout_ms).
// Routing (cluster mode): the batches taken for one request are split into
// one request per leader when written (route()); a batch whose partition
// has no live leader fails that attempt unsent, and NOT_LEADER,
// LEADER_NOT_AVAILABLE or a lost connection make the topic's leaders be
// asked again before the retry.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <string>
#include <thread>

#include "client/client.h"
#include "client/partition_queue.h"
#include "strata/producer.h"

namespace strata::client {

// The public value types (strata/producer.h) are the library's own.
using strata::Header;
using strata::ProducerOptions;
using strata::ProducerRecord;

class Producer {
 public:
  // Throws ClientError (usage) for options it cannot honour, and with
  // idempotence the broker's error if it cannot allocate a producer id.
  Producer(Client& client, ProducerOptions options = {});
  // Flushes, then stops the sender.
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Queues one record. Throws ClientError at once for an unknown topic or
  // partition, and after max_block_ms without buffer space; later failures
  // go to the callback.
  void send(const ProducerRecord& record, SendCallback callback = {});
  std::future<RecordMetadata> send(const ProducerRecord& record, std::promise<RecordMetadata> promise);
  // Sends everything queued and waits until each record is acknowledged
  // or has failed.
  void flush();
  // flush() that gives up after `timeout`: true if everything finished.
  // A Producer whose flush timed out still waits for the rest when it is
  // destroyed (a program that must not wait exits without destroying it).
  [[nodiscard]] bool flush_for(std::chrono::milliseconds timeout);
  // The partition a record would go to (explicit, by key, or sticky).
  // Learns the topic's partition count and max.message.bytes if it does not
  // know them yet (two requests), so a first send() to it asks nothing.
  [[nodiscard]] std::uint32_t partition_for(const std::string& topic, std::optional<std::string_view> key);
  // Topics whose partition count this producer keeps (exposed for tests).
  [[nodiscard]] std::size_t cached_topic_count();

 private:
  using Batch = QueuedBatch;
  using Key = std::pair<std::string, std::uint32_t>;

  struct Sticky {
    // Where keyless records go now: a random partition at first (Kafka's
    // sticky partitioner), so short-lived producers spread over the topic.
    std::optional<std::uint32_t> partition;
    std::uint32_t count = 0;  // the topic's partition count as send() uses it; 0: ask the Client
    // The topic's max.message.bytes (the largest batch it stores), and the
    // size batches close at: min(batch_bytes, max_message); 0: ask the
    // broker (DescribeConfigs).
    std::size_t max_message = 0;
    std::size_t max_batch = 0;
  };
  void close_open_batch(const Key& key, PartitionQueue& q);  // REQUIRES: mu_ held
  // Readies q's empty builder for a new batch. REQUIRES: mu_ held, q.open.empty().
  void open_batch(PartitionQueue& q);
  // The topic's Sticky entry with count and max_batch known, asking the
  // broker for what is not. Throws ClientError (unknown topic, network).
  // REQUIRES: mu_ held by `lock` (released during calls to the broker).
  Sticky& topic_state(std::unique_lock<std::mutex>& lock, const std::string& topic);
  // Whether a batch of this record alone may be larger than `limit` (a
  // cheap upper bound: false means certainly not).
  [[nodiscard]] static bool may_exceed(const ProducerRecord& record, std::size_t limit) noexcept;
  // Fails a record that alone exceeds the topic's max.message.bytes
  // through its callback. REQUIRES: mu_ not held.
  static void record_too_large(const std::string& topic, std::size_t bytes, std::size_t limit,
                               const SendCallback& callback);
  // Where keyless records of the topic go now. REQUIRES: mu_ held, count > 0.
  std::uint32_t sticky_partition(const std::string& topic, std::uint32_t count);
  // The sender's side of a partition that must start over: asks the broker
  // for the spare identity it waits for. REQUIRES: mu_ held by `lock`
  // (released during the call).
  void fetch_spare_identity(std::unique_lock<std::mutex>& lock);
  // Whether the sender may take q's front batch now; settles an unresolved
  // sequence once nothing sent is outstanding (partition_queue.h).
  // REQUIRES: mu_ held.
  [[nodiscard]] bool may_send(PartitionQueue& q);
  // What may be sent now, in one request, marked in flight; also when the
  // sender should look again. REQUIRES: mu_ held.
  [[nodiscard]] std::vector<std::pair<Key, Batch>> take_sendable(std::chrono::steady_clock::time_point& next_wake);
  // What take_sendable() gave, split by where it goes: one leg per
  // leader's connection (standalone: one, the bootstrap connection), and
  // one per batch that has no route now (error set, connection null).
  struct Leg {
    std::shared_ptr<Connection> connection;
    std::optional<ClientError> error;
    std::vector<std::pair<Key, Batch>> batches;
  };
  // May ask for metadata or connect. REQUIRES: mu_ not held.
  [[nodiscard]] std::vector<Leg> route(std::vector<std::pair<Key, Batch>> sending);
  // Writes what take_sendable() gave: one produce request per leader.
  // REQUIRES: send_mu_ held (so requests leave in the order taken), mu_ not.
  void write_request(std::vector<std::pair<Key, Batch>> sending);
  // Writes one leg's request, or fails its batches for a retry.
  void write_leg(Leg leg);
  // send() with linger 0: writes what is sendable on the calling thread
  // unless the sender is busy writing. REQUIRES: mu_ not held.
  bool try_send_now();
  void sender_loop();
  void on_reply(std::vector<std::pair<Key, Batch>> sent, ResponseFrame* frame, const ClientError* error);
  struct Done {
    std::pair<Key, Batch> item;
    std::optional<protocol::ProducePartitionResult> result;
    std::optional<ClientError> failure;
  };
  // What a reply (or its absence) means for one sent batch: acknowledged,
  // failed for good, or back in its queue for a retry (then nullopt).
  // REQUIRES: mu_ held.
  [[nodiscard]] std::optional<Done> settle_reply(std::pair<Key, Batch>& item,
                                                 const std::optional<protocol::ProducePartitionResult>& result,
                                                 std::optional<ClientError> failure);
  // Fails the batches waiting past delivery_timeout_ms (closing an open
  // batch that is that old); also when the next one will. REQUIRES: mu_ held.
  [[nodiscard]] std::vector<Done> expire(std::chrono::steady_clock::time_point& next_wake);
  // Runs the callbacks of finished batches, then releases their accounting.
  // REQUIRES: mu_ not held. `this` may be gone once it returns.
  void complete(std::vector<Done> done);
  void finish(std::pair<Key, Batch>& item, const protocol::ProducePartitionResult* result, const ClientError* error);

  // Set while this thread runs on_reply (the connection's reader thread, or
  // callbacks it calls): a send() made from there must not write to the
  // socket itself, since the reader would then block on a write that waits
  // for the broker, which waits for the reader to take its replies.
  static thread_local bool in_reply_;

  Client& client_;
  ProducerOptions options_;
  std::mutex send_mu_;  // held from taking batches to writing their request; before mu_
  std::mutex mu_;
  std::condition_variable work_cv_;   // sender: something may be sendable
  std::condition_variable space_cv_;  // send(): buffer space, flush(): progress
  std::map<Key, PartitionQueue> queues_;
  ProducerIdentity identity_;                       // every partition starts with it
  std::optional<ProducerIdentity> spare_identity_;  // for the next partition that starts over
  bool want_identity_ = false;                      // a partition waits for spare_identity_
  std::mt19937_64 random_{std::random_device{}()};  // sticky partitions' starting points
  std::map<std::string, Sticky> sticky_;
  std::set<std::string> stale_topics_;  // partition count to refresh on next send
  std::atomic<bool> any_stale_{false};  // !stale_topics_.empty(), read without mu_
  // Buffers of acknowledged batches, reused by batches that open later;
  // bounded in count and to a quarter of buffer_bytes.
  static constexpr std::size_t kMaxSpareBuffers = 16;
  std::vector<std::vector<std::uint8_t>> spare_buffers_;
  std::size_t spare_bytes_ = 0;
  std::size_t buffered_bytes_ = 0;
  std::string last_failure_;  // the latest failed attempt's error, for send()'s timeout
  std::size_t unfinished_records_ = 0;  // sent or not, until acknowledged or failed
  std::size_t in_flight_records_ = 0;   // of those, in requests awaiting a reply
  std::uint32_t in_flight_requests_ = 0;
  bool flushing_ = false;
  bool stopping_ = false;
  std::thread sender_;
};

}  // namespace strata::client
