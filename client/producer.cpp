#include "client/producer.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "protocol/partitioner.h"
#include "protocol/record.h"

namespace strata::client {

namespace {
std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Producer::Producer(Client& client, ProducerOptions options) : client_(client), options_(options) {
  const std::uint32_t n = options_.max_in_flight_per_partition;
  if (options_.idempotence && (n == 0 || n > protocol::kProducerBatchesKept)) {
    // More would let a resend fall outside what the broker remembers, and
    // be written twice.
    throw ClientError::usage("max_in_flight_per_partition must be 1.." +
                             std::to_string(protocol::kProducerBatchesKept) + " with idempotence, not " +
                             std::to_string(n));
  }
  if (options_.idempotence) identity_ = client_.init_producer_id();
  sender_ = std::thread([this] { sender_loop(); });
}

Producer::~Producer() {
  flush();
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  sender_.join();
}

std::uint32_t Producer::partition_for(const std::string& topic, std::optional<std::string_view> key) {
  std::unique_lock lock(mu_);
  const std::uint32_t count = topic_state(lock, topic).count;
  if (key) return protocol::partition_for_key(protocol::as_bytes(*key), count);
  return sticky_partition(topic, count);
}

std::size_t Producer::cached_topic_count() {
  std::lock_guard lock(mu_);
  return sticky_.size();
}

Producer::Sticky& Producer::topic_state(std::unique_lock<std::mutex>& lock, const std::string& topic) {
  // Cached per topic here, so a record costs no lock of the Client's cache;
  // a stale topic is refreshed in send(). An entry is made only once the
  // topic is known to exist: a send to a topic that does not throws here
  // and leaves nothing behind, so sends to many wrong names do not grow
  // the map.
  const auto cached = sticky_.find(topic);
  if (cached != sticky_.end() && cached->second.count > 0 && cached->second.max_batch > 0) return cached->second;
  lock.unlock();
  const std::uint32_t count = client_.partition_count_for_produce(topic);  // throws for an unknown topic
  // Asked once per topic, before its first batch, rather than learnt from a
  // MESSAGE_TOO_LARGE: a refused batch has taken sequence numbers and
  // would have to be split and renumbered, which an idempotent producer
  // must not do to a batch it has sent (partition_queue.h). A limit lowered
  // later refuses a batch; the topic is then asked again (complete()).
  std::size_t max_message = std::numeric_limits<std::size_t>::max();
  for (const auto& entry : client_.describe_configs(topic)) {
    if (entry.key != "max.message.bytes") continue;
    try {
      max_message = std::max<std::size_t>(std::stoull(entry.value), 1);
    } catch (const std::exception&) {
      // Not a number: unknown; the broker still refuses what is too large.
    }
  }
  lock.lock();
  Sticky& state = sticky_[topic];
  state.count = count;
  state.max_message = max_message;
  state.max_batch = std::min(options_.batch_bytes, max_message);
  return state;
}

bool Producer::may_exceed(const ProducerRecord& record, std::size_t limit) noexcept {
  // A cheap bound first, so most records skip the exact size: a batch of
  // one record is the batch header, at most 23 bytes of lengths and
  // deltas, 10 per header, and the bytes themselves.
  std::size_t bytes = protocol::batch_layout::kHeaderSize + 23 + (record.key ? record.key->size() : 0) +
                      (record.value ? record.value->size() : 0);
  for (const auto& h : record.headers) bytes += 10 + h.name.size() + h.value.size();
  return bytes > limit;
}

void Producer::record_too_large(const std::string& topic, std::size_t bytes, std::size_t limit,
                                const SendCallback& callback) {
  const ClientError error(ClientError::Kind::usage, protocol::ErrorCode::batch_too_large,
                          "BATCH_TOO_LARGE: a record of " + std::to_string(bytes) +
                              " bytes (as a batch of one) exceeds topic " +
                              topic + "'s max.message.bytes " + std::to_string(limit) +
                              "; it was not sent (raise the limit: strata topic alter " + topic +
                              " --max-message-bytes N, or send smaller records)");
  if (callback) callback(nullptr, &error);
}

std::uint32_t Producer::sticky_partition(const std::string& topic, std::uint32_t count) {
  Sticky& sticky = sticky_[topic];
  sticky.count = count;
  if (!sticky.partition) sticky.partition = static_cast<std::uint32_t>(random_() % count);
  *sticky.partition %= count;
  return *sticky.partition;
}

void Producer::close_open_batch(const Key& key, PartitionQueue& q) {
  if (q.open.empty()) return;
  if (options_.idempotence && !q.has_identity()) q.restart(identity_);
  q.ready.push_back(q.close(options_.idempotence));
  // Keyless records stick to one partition per batch, then move on.
  auto sticky = sticky_.find(key.first);
  if (sticky != sticky_.end() && sticky->second.partition == key.second && sticky->second.count > 0) {
    sticky->second.partition = (key.second + 1) % sticky->second.count;
  }
}

void Producer::fetch_spare_identity(std::unique_lock<std::mutex>& lock) {
  lock.unlock();
  std::optional<ProducerIdentity> got;
  try {
    got = client_.init_producer_id();
  } catch (const ClientError&) {
    // The broker is unreachable: the partition keeps waiting, and its
    // batches' retries and timeouts run as for any other failure.
  }
  lock.lock();
  if (got) {
    spare_identity_ = got;
    want_identity_ = false;
  }
}

void Producer::send(const ProducerRecord& record, SendCallback callback) {
  // Hot path: one lock of mu_ per record; the stale-topic set is only
  // locked when some topic is stale.
  if (any_stale_.load(std::memory_order_acquire)) {
    bool stale = false;
    {
      std::lock_guard lock(mu_);
      stale = stale_topics_.erase(record.topic) > 0;
      any_stale_.store(!stale_topics_.empty(), std::memory_order_release);
    }
    if (stale) {
      const std::uint32_t count = client_.partition_count(record.topic, true);
      std::lock_guard lock(mu_);
      Sticky& state = sticky_[record.topic];
      state.count = count;
      state.max_batch = 0;  // its max.message.bytes may have changed too
    }
  }
  if (record.partition) client_.check_partition(record.topic, *record.partition);
  std::vector<protocol::RecordHeader> headers;
  headers.reserve(record.headers.size());
  for (const auto& h : record.headers) headers.push_back({protocol::as_bytes(h.name), protocol::as_bytes(h.value)});
  auto to_bytes = [](std::optional<std::string_view> s) -> std::optional<protocol::Bytes> {
    if (!s) return std::nullopt;
    return protocol::as_bytes(*s);
  };
  const std::int64_t timestamp = record.timestamp.value_or(now_ms());

  std::unique_lock lock(mu_);
  const auto has_space = [&] { return buffered_bytes_ < options_.buffer_bytes || stopping_; };
  // The predicate first: wait_for reads the clock even when it need not
  // wait, and on this hot path (once per record) that read cost 100 B
  // produce a quarter of its throughput on the development VM.
  if (!has_space() && !space_cv_.wait_for(lock, std::chrono::milliseconds(options_.max_block_ms), has_space)) {
    std::string message = "send() waited max_block_ms (" + std::to_string(options_.max_block_ms) +
                          " ms) for buffer space: " + std::to_string(buffered_bytes_) +
                          " bytes of earlier records are unacknowledged, so the broker at " +
                          client_.options().broker + " is unreachable or not keeping up";
    if (!last_failure_.empty()) message += " (last error: " + last_failure_ + ")";
    throw ClientError::timeout(message + "; the record was not sent");
  }
  const Sticky& topic = topic_state(lock, record.topic);
  const std::size_t max_batch = topic.max_batch;
  const auto key_bytes = to_bytes(record.key);
  const auto value_bytes = to_bytes(record.value);
  if (options_.compression == strata::Compression::none && may_exceed(record, topic.max_message)) {
    const std::size_t alone = protocol::BatchBuilder::single_record_bytes(key_bytes, value_bytes, headers);
    if (alone > topic.max_message) {
      // Larger than the topic takes: it fails, no other record does.
      // (Compressed, only the broker can tell, for the batch holding this
      // record alone.)
      const std::size_t limit = topic.max_message;
      lock.unlock();
      record_too_large(record.topic, alone, limit, callback);
      return;
    }
  }
  std::uint32_t partition = record.partition.value_or(0);
  if (!record.partition) {
    partition = record.key ? protocol::partition_for_key(protocol::as_bytes(*record.key), topic.count)
                           : sticky_partition(record.topic, topic.count);
  }
  Key key{record.topic, partition};
  PartitionQueue* q = &queues_[key];
  bool closed = false;
  bool opened = q->open.empty();
  if (opened) open_batch(*q);
  std::size_t before = q->open.size_bytes();
  // Closed before the record that would take it past max_batch, so a batch
  // stays within batch_bytes and the topic's max.message.bytes; a larger
  // record goes alone.
  if (!q->open.try_add(max_batch, timestamp, key_bytes, value_bytes, headers)) {
    close_open_batch(key, *q);
    closed = true;
    if (!record.partition && !record.key) {  // sticky: follow it to the next partition
      key.second = sticky_partition(record.topic, sticky_[record.topic].count);
      q = &queues_[key];
    }
    opened = q->open.empty();
    if (opened) open_batch(*q);
    before = q->open.size_bytes();
    q->open.add(timestamp, key_bytes, value_bytes, headers);
  }
  buffered_bytes_ += q->open.size_bytes() - before;
  ++unfinished_records_;
  if (callback || !q->open_callbacks.empty()) {
    // Sized like the last batch: growing a vector of std::function by
    // doubling moves every callback several times per batch.
    if (q->open_callbacks.capacity() == 0) q->open_callbacks.reserve(q->last_records + 1);
    q->open_callbacks.resize(q->open.record_count() - 1);
    q->open_callbacks.push_back(std::move(callback));
  }
  if (q->open.size_bytes() >= max_batch) {
    close_open_batch(key, *q);
    closed = true;
  }
  if (closed || (opened && options_.linger_ms == 0)) {
    // A batch is ready, or (linger 0) nothing to wait for: this thread
    // writes the request itself if it can. Waking the sender thread costs a
    // hop on the latency path, and under load a lock convoy: the sender
    // woke for each full batch and queued on mu_, which this thread holds
    // for nearly every record (measured: 20 futex calls per request).
    // Otherwise wake the sender now, not at its next tick.
    lock.unlock();
    if (!in_reply_ && try_send_now()) return;
    work_cv_.notify_one();
  }
}

void Producer::open_batch(PartitionQueue& q) {
  q.open_since = std::chrono::steady_clock::now();
  q.open.set_compression(static_cast<protocol::Compression>(options_.compression));
  if (!spare_buffers_.empty()) {
    spare_bytes_ -= spare_buffers_.back().capacity();
    q.open.reuse(std::move(spare_buffers_.back()));
    spare_buffers_.pop_back();
  }
  // Like the last batch, or up to twice a small one: no growth by doubling
  // into fresh memory (and its page faults) while the batch fills.
  q.open.reserve(std::min(options_.batch_bytes, 2 * q.last_bytes));
}

std::future<RecordMetadata> Producer::send(const ProducerRecord& record, std::promise<RecordMetadata> promise) {
  auto shared = std::make_shared<std::promise<RecordMetadata>>(std::move(promise));
  auto future = shared->get_future();
  send(record, [shared](const RecordMetadata* m, const strata::Error* e) {
    if (e) {
      // The library's errors are ClientErrors: keep the wire code for
      // callers that catch ClientError.
      const auto* wire = dynamic_cast<const ClientError*>(e);
      shared->set_exception(wire ? std::make_exception_ptr(*wire) : std::make_exception_ptr(*e));
    } else {
      shared->set_value(*m);
    }
  });
  return future;
}

void Producer::flush() {
  while (!flush_for(std::chrono::hours(24))) {
  }
}

bool Producer::flush_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  flushing_ = true;
  work_cv_.notify_all();
  const bool done = space_cv_.wait_for(lock, timeout, [&] { return unfinished_records_ == 0; });
  flushing_ = false;
  return done;
}

}  // namespace strata::client

namespace strata::client {
// The public enums are the wire's, value for value, and the public default
// is what the broker keeps.
static_assert(static_cast<int>(strata::Acks::durable) == static_cast<int>(protocol::Acks::durable));
static_assert(static_cast<int>(strata::Compression::zstd) == static_cast<int>(protocol::Compression::zstd));
static_assert(ProducerOptions{}.max_in_flight_per_partition == protocol::kProducerBatchesKept);
}  // namespace strata::client
