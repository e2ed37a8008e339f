#include "client/producer.h"

#include <algorithm>
#include <cassert>
#include <chrono>

#include "protocol/partitioner.h"
#include "protocol/record.h"

namespace strata::client {

using Clock = std::chrono::steady_clock;
using protocol::ErrorCode;

namespace {
// A produce request carries at most this many bytes of batches.
constexpr std::size_t kMaxRequestBytes = 8u << 20;

// Set while this thread runs on_reply (the connection's reader thread, or
// callbacks it calls): a send() made from there must not write to the
// socket itself, since the reader would then block on a write that waits
// for the broker, which waits for the reader to take its replies.
thread_local bool in_reply = false;

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
  const std::uint32_t count = client_.partition_count(topic);
  if (key) return protocol::partition_for_key(protocol::as_bytes(*key), count);
  std::lock_guard lock(mu_);
  return sticky_partition(topic, count);
}

std::size_t Producer::cached_topic_count() {
  std::lock_guard lock(mu_);
  return sticky_.size();
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
  Batch b;
  b.records = static_cast<std::uint32_t>(q.open.record_count());
  b.first_record = q.next_record;
  q.next_record += b.records;
  if (options_.idempotence) {
    if (q.producer_id < 0) new_producer_id(q);
    q.open.set_producer(q.producer_id, q.producer_epoch, q.next_sequence);
    q.next_sequence = protocol::next_sequence(q.next_sequence, b.records);
  }
  b.buffered = q.open.size_bytes();
  b.bytes = q.open.finish();
  b.callbacks = std::move(q.open_callbacks);
  q.open_callbacks.clear();
  q.last_records = b.records;
  q.last_bytes = b.buffered;  // the builder's next reserve: the uncompressed size
  q.ready.push_back(std::move(b));
  // Keyless records stick to one partition per batch, then move on.
  auto sticky = sticky_.find(key.first);
  if (sticky != sticky_.end() && sticky->second.partition == key.second && sticky->second.count > 0) {
    sticky->second.partition = (key.second + 1) % sticky->second.count;
  }
}

void Producer::new_producer_id(PartitionQueue& q) {
  ProducerIdentity id = identity_;
  if (q.producer_id >= 0) {
    assert(spare_identity_);
    id = *spare_identity_;
    spare_identity_.reset();
  }
  q.producer_id = id.id;
  q.producer_epoch = id.epoch;
  q.next_sequence = 0;
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

void Producer::renumber(PartitionQueue& q, Batch& b) {
  protocol::stamp_producer(b.bytes, q.producer_id, q.producer_epoch, q.next_sequence);
  q.next_sequence = protocol::next_sequence(q.next_sequence, b.records);
}

bool Producer::may_send(PartitionQueue& q) {
  if (q.draining) {
    if (q.in_flight > 0) return false;
    if (q.renumber && !spare_identity_) {
      want_identity_ = true;  // the sender fetches one; try again then
      return false;
    }
    q.draining = false;
    if (q.renumber) {
      // A batch failed for good with its sequence number unused: the broker
      // would refuse every later one as out of order. Start afresh.
      q.renumber = false;
      new_producer_id(q);
      for (Batch& b : q.ready) renumber(q, b);
    }
  }
  return q.in_flight < (options_.idempotence ? options_.max_in_flight_per_partition : 1u);
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
      sticky_[record.topic].count = count;
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
  if (!space_cv_.wait_for(lock, std::chrono::milliseconds(options_.max_block_ms),
                          [&] { return buffered_bytes_ < options_.buffer_bytes || stopping_; })) {
    std::string message = "send() waited max_block_ms (" + std::to_string(options_.max_block_ms) +
                          " ms) for buffer space: " + std::to_string(buffered_bytes_) +
                          " bytes of earlier records are unacknowledged, so the broker at " +
                          client_.options().broker + " is unreachable or not keeping up";
    if (!last_failure_.empty()) message += " (last error: " + last_failure_ + ")";
    throw ClientError::timeout(message + "; the record was not sent");
  }
  std::uint32_t partition = record.partition.value_or(0);
  if (!record.partition) {
    // The partition count is cached per topic here, so a record costs no
    // lock of the Client's cache; a stale topic refreshes it above.
    // An entry is made only once the count is known: a send to a topic
    // that does not exist throws here and leaves nothing behind, so sends
    // to many wrong names do not grow the map.
    const auto cached = sticky_.find(record.topic);
    std::uint32_t count = cached == sticky_.end() ? 0 : cached->second.count;
    if (count == 0) {
      lock.unlock();
      count = client_.partition_count(record.topic);  // throws for an unknown topic
      lock.lock();
      sticky_[record.topic].count = count;
    }
    partition = record.key ? protocol::partition_for_key(protocol::as_bytes(*record.key), count)
                           : sticky_partition(record.topic, count);
  }
  const auto key_bytes = to_bytes(record.key);
  const auto value_bytes = to_bytes(record.value);
  Key key{record.topic, partition};
  PartitionQueue* q = &queues_[key];
  bool closed = false;
  bool opened = q->open.empty();
  if (opened) open_batch(*q);
  std::size_t before = q->open.size_bytes();
  // Closed before the record that would take it past batch_bytes, so a batch
  // stays within batch_bytes (and so within a max.message.bytes of the same
  // size); a record larger than batch_bytes goes alone.
  if (!q->open.try_add(options_.batch_bytes, timestamp, key_bytes, value_bytes, headers)) {
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
  if (q->open.size_bytes() >= options_.batch_bytes) {
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
    if (!in_reply && try_send_now()) return;
    work_cv_.notify_one();
  }
}

void Producer::open_batch(PartitionQueue& q) {
  q.open_since = Clock::now();
  q.open.set_compression(options_.compression);
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
  send(record, [shared](const RecordMetadata* m, const ClientError* e) {
    if (e) {
      shared->set_exception(std::make_exception_ptr(*e));
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

std::vector<std::pair<Producer::Key, Producer::Batch>> Producer::take_sendable(Clock::time_point& next_wake) {
  const auto now = Clock::now();
  // With linger 0 nothing ripens with time: the sender is woken for work
  // (a record that send() could not write, a freed slot, a retry's backoff
  // below); the long tick is only a safety net.
  next_wake = now + std::chrono::milliseconds(options_.linger_ms > 0 ? options_.linger_ms : 100);
  std::vector<std::pair<Key, Batch>> sending;
  if (in_flight_requests_ >= options_.max_in_flight) return sending;
  std::size_t request_bytes = 0;
  for (auto& [key, q] : queues_) {
    if (!may_send(q)) continue;
    const bool lingered = now - q.open_since >= std::chrono::milliseconds(options_.linger_ms);
    if (q.ready.empty() && !q.open.empty() && (lingered || flushing_ || stopping_)) close_open_batch(key, q);
    if (!q.open.empty() && !lingered) {
      next_wake = std::min(next_wake, q.open_since + std::chrono::milliseconds(options_.linger_ms));
    }
    if (q.ready.empty()) continue;
    if (q.ready.front().not_before > now) {
      next_wake = std::min(next_wake, q.ready.front().not_before);
      continue;
    }
    if (request_bytes > 0 && request_bytes + q.ready.front().bytes.size() > kMaxRequestBytes) break;
    request_bytes += q.ready.front().bytes.size();
    sending.emplace_back(key, std::move(q.ready.front()));
    q.ready.pop_front();
    ++q.in_flight;
    in_flight_records_ += sending.back().second.records;
  }
  if (!sending.empty()) ++in_flight_requests_;
  return sending;
}

void Producer::write_request(std::vector<std::pair<Key, Batch>> sending) {
  protocol::ProduceRequest request;
  request.acks = options_.acks;
  for (auto& [key, batch] : sending) {
    if (request.topics.empty() || request.topics.back().name != key.first) request.topics.push_back({key.first, {}});
    request.topics.back().partitions.push_back({key.second, batch.bytes});
  }
  auto encode = [&request](protocol::ByteWriter& w) { request.encode(w); };
  std::shared_ptr<Connection> connection;
  try {
    connection = client_.connection();
  } catch (const ClientError& e) {
    on_reply(std::move(sending), nullptr, &e);
    return;
  }
  if (options_.acks == protocol::Acks::none) {
    connection->request(protocol::ApiKey::produce, encode, {});
    on_reply(std::move(sending), nullptr, nullptr);
  } else {
    auto shared = std::make_shared<std::vector<std::pair<Key, Batch>>>(std::move(sending));
    connection->request(protocol::ApiKey::produce, encode, [this, shared](ResponseFrame* f, const ClientError* e) {
      on_reply(std::move(*shared), f, e);
    });
  }
}

bool Producer::try_send_now() {
  std::unique_lock send_lock(send_mu_, std::try_to_lock);
  if (!send_lock.owns_lock()) return false;  // the sender is writing; it looks again after
  std::unique_lock lock(mu_);
  Clock::time_point next_wake;
  auto sending = take_sendable(next_wake);
  if (sending.empty()) return false;
  lock.unlock();
  write_request(std::move(sending));
  return true;
}

void Producer::sender_loop() {
  for (;;) {
    std::unique_lock send_lock(send_mu_);
    std::unique_lock lock(mu_);
    Clock::time_point next_wake;
    auto sending = take_sendable(next_wake);
    if (sending.empty() && want_identity_ && !spare_identity_) {
      send_lock.unlock();
      fetch_spare_identity(lock);
      if (!spare_identity_) work_cv_.wait_for(lock, std::chrono::milliseconds(options_.retry_backoff_ms));
      continue;
    }
    if (sending.empty()) {
      if (stopping_ && unfinished_records_ == 0) return;
      send_lock.unlock();
      work_cv_.wait_until(lock, next_wake);
      continue;
    }
    lock.unlock();
    write_request(std::move(sending));  // send_mu_ held: requests leave in the order taken
  }
}

void Producer::finish(std::pair<Key, Batch>& item, const protocol::ProducePartitionResult* result,
                      const ClientError* error) {
  auto& [key, batch] = item;
  for (std::size_t i = 0; i < batch.callbacks.size(); ++i) {
    if (!batch.callbacks[i]) continue;
    if (error) {
      batch.callbacks[i](nullptr, error);
    } else {
      RecordMetadata m{key.first, key.second,
                       result ? static_cast<std::int64_t>(result->base_offset + i) : protocol::kNoOffset};
      batch.callbacks[i](&m, nullptr);
    }
  }
}

void Producer::on_reply(std::vector<std::pair<Key, Batch>> sent, ResponseFrame* frame, const ClientError* error) {
  const bool outer = !in_reply;
  in_reply = true;
  struct Reset {
    bool outer;
    ~Reset() {
      if (outer) in_reply = false;
    }
  } reset{outer};
  // Decode the reply, if any, into one result per sent batch.
  std::vector<std::optional<protocol::ProducePartitionResult>> results(sent.size());
  std::optional<ClientError> request_error;
  if (error) request_error = *error;
  if (frame && !request_error) {
    if (frame->header.error != ErrorCode::none) {
      protocol::ByteReader r(frame->body());
      request_error = ClientError::from_broker(frame->header.error, std::string(protocol::read_string(r)));
    } else {
      protocol::ByteReader r(frame->body());
      auto response = protocol::ProduceResponse::decode(r);
      for (std::size_t i = 0; i < sent.size(); ++i) {
        for (const auto& t : response.topics) {
          if (t.name != sent[i].first.first) continue;
          for (const auto& p : t.partitions) {
            if (p.partition == sent[i].first.second) results[i] = p;
          }
        }
      }
    }
  }
  struct Done {
    std::pair<Key, Batch> item;
    std::optional<protocol::ProducePartitionResult> result;
    std::optional<ClientError> failure;
  };
  std::vector<Done> done;
  std::size_t done_records = 0;
  bool unsent = false;
  {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < sent.size(); ++i) {
      std::optional<ClientError> failure = request_error;
      if (!failure && frame && !results[i]) failure = ClientError::network("produce reply lacks a partition");
      if (!failure && results[i] && results[i]->error != ErrorCode::none) {
        failure = ClientError::from_broker(results[i]->error, results[i]->message);
      }
      PartitionQueue& q = queues_[sent[i].first];
      --q.in_flight;
      in_flight_records_ -= sent[i].second.records;
      Batch& batch = sent[i].second;
      if (failure) {
        q.draining = true;
        last_failure_ = failure->what();
      }
      if (failure && failure->retriable() && batch.attempts < options_.retries && !stopping_) {
        ++batch.attempts;
        batch.not_before = Clock::now() + std::chrono::milliseconds(options_.retry_backoff_ms);
        // Back in its place: before every batch closed after it.
        auto at = std::upper_bound(q.ready.begin(), q.ready.end(), batch.first_record,
                                   [](std::uint64_t r, const Batch& b) { return r < b.first_record; });
        q.ready.insert(at, std::move(batch));
        continue;
      }
      if (failure && options_.idempotence) q.renumber = true;
      done.push_back({std::move(sent[i]), results[i], failure});
      done_records += done.back().item.second.records;
    }
    --in_flight_requests_;
    // Wake the sender only if something waits to be sent (a freed slot
    // matters then): on the latency path every needless wake-up is a
    // context switch on a busy core.
    unsent = unfinished_records_ - done_records > in_flight_records_;
  }
  if (unsent) work_cv_.notify_all();
  // The topic changed under us (deleted, re-created): the next send() to it
  // refreshes the cached partition count. Not here: this runs on the
  // connection's reader thread, which a synchronous call would deadlock.
  for (const auto& d : done) {
    if (d.failure && (d.failure->code() == ErrorCode::unknown_partition ||
                      d.failure->code() == ErrorCode::unknown_topic)) {
      std::lock_guard lock(mu_);
      stale_topics_.insert(d.item.first.first);
      any_stale_.store(true, std::memory_order_release);
    }
  }
  // Callbacks first, then the accounting that lets flush() return, so a
  // caller of flush() sees every callback's effect.
  std::size_t records = 0, bytes = 0;
  for (auto& d : done) {
    finish(d.item, d.result ? &*d.result : nullptr, d.failure ? &*d.failure : nullptr);
    records += d.item.second.records;
    bytes += d.item.second.buffered;
  }
  // Notified under the lock and last: once unfinished_records_ can reach 0,
  // flush() and the destructor may return, and `this` must not be touched
  // after the lock is released.
  std::lock_guard lock(mu_);
  // Finished batches' buffers (their bytes went out, no retry needs them)
  // become the next batches' buffers: memory already faulted in.
  for (auto& d : done) {
    std::vector<std::uint8_t>& spare = d.item.second.bytes;
    if (spare_buffers_.size() >= kMaxSpareBuffers || spare_bytes_ + spare.capacity() > options_.buffer_bytes / 4) break;
    spare_bytes_ += spare.capacity();
    spare_buffers_.push_back(std::move(spare));
  }
  buffered_bytes_ -= std::min(buffered_bytes_, bytes);
  unfinished_records_ -= records;
  space_cv_.notify_all();
  if (stopping_) work_cv_.notify_all();  // the sender exits once nothing is unfinished
}

}  // namespace strata::client
