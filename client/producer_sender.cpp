// The Producer's sending side: what may go out now, requests, replies,
// retries, delivery timeouts, and the sequence rules of partition_queue.h.
#include <algorithm>
#include <cassert>

#include "client/producer.h"

namespace strata::client {

using Clock = std::chrono::steady_clock;
using protocol::ErrorCode;

namespace {
// A produce request carries at most this many bytes of batches.
constexpr std::size_t kMaxRequestBytes = 8u << 20;

std::string partition_name(const std::pair<std::string, std::uint32_t>& key) {
  return key.first + "/" + std::to_string(key.second);
}

// The error of a record whose delivery timeout ran out (producer.h says
// what the caller may conclude from each wording).
ClientError delivery_timeout(std::uint32_t timeout_ms, const std::pair<std::string, std::uint32_t>& key,
                             const QueuedBatch& b, const std::string& last_error) {
  std::string message = "delivery_timeout_ms (" + std::to_string(timeout_ms) +
                        " ms) passed before the broker acknowledged this record on " + partition_name(key);
  if (!last_error.empty()) message += " (last error: " + last_error + ")";
  if (b.sent()) {
    message += "; its batch was sent " + std::to_string(b.sends) +
               " times and a reply may have been lost, so it may or may not be in the log (never twice)";
  } else {
    message += "; it was never sent, so it is not in the log";
  }
  return ClientError::timeout(message);
}
}  // namespace

thread_local bool Producer::in_reply_ = false;

bool Producer::may_send(PartitionQueue& q) {
  if (q.draining) {
    if (q.in_flight > 0) return false;
    q.draining = false;
  }
  const std::uint32_t limit = options_.idempotence ? options_.max_in_flight_per_partition : 1u;
  if (!options_.idempotence || !q.unresolved()) return q.in_flight < limit;
  // A batch failed for good and may be in the log. Resends of batches
  // already sent keep going (their numbers are fixed); nothing new goes
  // out until every sent batch is answered.
  if (!q.ready.empty() && q.ready.front().sent()) return q.in_flight < limit;
  if (q.in_flight > 0) return false;
  if (q.settle() == PartitionQueue::Settled::yes) return true;  // a later batch was acknowledged
  if (!spare_identity_) {
    want_identity_ = true;  // the sender fetches one; try again then
    return false;
  }
  // The failed batch is not known to be written: the broker would refuse
  // every later number as out of order. The batches never sent start over.
  q.restart(*spare_identity_);
  spare_identity_.reset();
  return true;
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
    ++sending.back().second.attempts;
    ++sending.back().second.sends;
    in_flight_records_ += sending.back().second.records;
  }
  if (!sending.empty()) ++in_flight_requests_;
  return sending;
}

std::vector<Producer::Leg> Producer::route(std::vector<std::pair<Key, Batch>> sending) {
  std::vector<Leg> legs;
  for (auto& item : sending) {
    std::shared_ptr<Connection> connection;
    std::optional<ClientError> error;
    try {
      // The leader's connection (cluster mode) or the bootstrap one; may ask
      // for metadata or connect, so it runs here, with mu_ not held.
      connection = client_.connection_for(item.first.first, item.first.second);
    } catch (const ClientError& e) {
      error = e;
    }
    Leg* leg = nullptr;
    if (connection) {
      for (auto& l : legs) {
        if (l.connection == connection) leg = &l;
      }
    }
    if (leg == nullptr) {
      legs.push_back({connection, std::move(error), {}});
      leg = &legs.back();
    }
    leg->batches.push_back(std::move(item));
  }
  return legs;
}

void Producer::write_request(std::vector<std::pair<Key, Batch>> sending) {
  std::vector<Leg> legs = route(std::move(sending));
  if (legs.size() > 1) {
    // take_sendable() counted one request; each leg is one (a reply each).
    std::lock_guard lock(mu_);
    in_flight_requests_ += static_cast<std::uint32_t>(legs.size() - 1);
  }
  for (Leg& leg : legs) write_leg(std::move(leg));
}

void Producer::write_leg(Leg leg) {
  if (!leg.connection) {
    // No route or no connection: this attempt never left, so it does not
    // make a batch "sent" (whose outcome would then be unknown). The
    // batches are ours alone here, out of their queues.
    for (auto& [key, batch] : leg.batches) --batch.sends;
    on_reply(std::move(leg.batches), nullptr, &*leg.error);
    return;
  }
  protocol::ProduceRequest request;
  request.acks = static_cast<protocol::Acks>(options_.acks);
  for (auto& [key, batch] : leg.batches) {
    if (request.topics.empty() || request.topics.back().name != key.first) request.topics.push_back({key.first, {}});
    request.topics.back().partitions.push_back({key.second, batch.bytes});
  }
  auto encode = [&request](protocol::ByteWriter& w) { request.encode(w); };
  if (options_.acks == strata::Acks::none) {
    leg.connection->request(protocol::ApiKey::produce, encode, {});
    on_reply(std::move(leg.batches), nullptr, nullptr);
  } else {
    auto shared = std::make_shared<std::vector<std::pair<Key, Batch>>>(std::move(leg.batches));
    leg.connection->request(protocol::ApiKey::produce, encode, [this, shared](ResponseFrame* f, const ClientError* e) {
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
    auto expired = expire(next_wake);
    if (!expired.empty()) {
      lock.unlock();
      send_lock.unlock();
      complete(std::move(expired));
      continue;
    }
    Clock::time_point send_wake;
    auto sending = take_sendable(send_wake);
    next_wake = std::min(next_wake, send_wake);
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

std::vector<Producer::Done> Producer::expire(Clock::time_point& next_wake) {
  const auto now = Clock::now();
  const auto timeout = std::chrono::milliseconds(options_.delivery_timeout_ms);
  next_wake = Clock::time_point::max();
  std::vector<Done> done;
  for (auto& [key, q] : queues_) {
    // An open batch that old is closed to be failed (its numbers then go
    // unused, which the rules below handle like any failed batch).
    if (!q.open.empty() && q.ready.empty() && now - q.open_since >= timeout) close_open_batch(key, q);
    // Batches are opened in queue order, so their deadlines are in order.
    while (!q.ready.empty() && now - q.ready.front().created >= timeout) {
      Batch& b = q.ready.front();
      // Sent: it may be in the log. Never sent: its numbers go unused.
      // Either way the partition's sequence is now unresolved.
      if (options_.idempotence) q.failed(b);
      ClientError error = delivery_timeout(options_.delivery_timeout_ms, key, b,
                                           q.last_failure.empty() ? last_failure_ : q.last_failure);
      done.push_back({{key, std::move(b)}, std::nullopt, std::move(error)});
      q.ready.pop_front();
    }
    if (!q.ready.empty()) next_wake = std::min(next_wake, q.ready.front().created + timeout);
    if (!q.open.empty()) next_wake = std::min(next_wake, q.open_since + timeout);
  }
  return done;
}

void Producer::on_reply(std::vector<std::pair<Key, Batch>> sent, ResponseFrame* frame, const ClientError* error) {
  const bool outer = !in_reply_;
  in_reply_ = true;
  struct Reset {
    bool outer;
    ~Reset() {
      if (outer) in_reply_ = false;
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
      in_flight_records_ -= sent[i].second.records;
      auto finished = settle_reply(sent[i], results[i], std::move(failure));
      if (!finished) continue;
      done_records += finished->item.second.records;
      done.push_back(std::move(*finished));
    }
    --in_flight_requests_;
    // Wake the sender only if something waits to be sent (a freed slot
    // matters then): on the latency path every needless wake-up is a
    // context switch on a busy core.
    unsent = unfinished_records_ - done_records > in_flight_records_;
  }
  if (unsent) work_cv_.notify_all();
  complete(std::move(done));
}

std::optional<Producer::Done> Producer::settle_reply(std::pair<Key, Batch>& item,
                                                     const std::optional<protocol::ProducePartitionResult>& result,
                                                     std::optional<ClientError> failure) {
  PartitionQueue& q = queues_[item.first];
  Batch& batch = item.second;
  --q.in_flight;
  if (!failure) {
    if (options_.idempotence) q.acknowledged(batch);
    return Done{std::move(item), result, std::nullopt};
  }
  q.draining = true;
  last_failure_ = failure->what();
  q.last_failure = last_failure_;
  // The partition moved, its broker is down or the connection to it broke:
  // its topic's leaders are asked again before the retry (which keeps the
  // batch's sequence numbers: the broker that takes it checks them).
  if (Client::stale_route(*failure)) client_.forget_leaders(item.first.first);
  bool retry = failure->retriable() && batch.attempts <= options_.retries && !stopping_;
  if (options_.idempotence && failure->code() == ErrorCode::out_of_order_sequence && (q.unresolved() || q.is_next(batch))) {
    // Not a batch that overtook the resend of an earlier one: the earlier
    // one is missing for good, and so this one was not written.
    retry = false;
    failure = ClientError(ClientError::Kind::broker, ErrorCode::out_of_order_sequence,
                          std::string("OUT_OF_ORDER_SEQUENCE: this record was not written to ") +
                              partition_name(item.first) +
                              (q.unresolved() ? ": an earlier batch of the partition failed for good and is not in "
                                                "the log (its records' callbacks had the error), so the broker refused "
                                                "the batches after it; send the record again if it is still wanted"
                                              : ": the broker does not have this producer's previous batch (lost in "
                                                "a crash with acks=leader?); send the record again if it is still "
                                                "wanted"));
  }
  if (retry && Clock::now() - batch.created < std::chrono::milliseconds(options_.delivery_timeout_ms)) {
    batch.not_before = Clock::now() + std::chrono::milliseconds(options_.retry_backoff_ms);
    // Back in its place: before every batch closed after it.
    auto at = std::upper_bound(q.ready.begin(), q.ready.end(), batch.first_record,
                               [](std::uint64_t r, const Batch& b) { return r < b.first_record; });
    q.ready.insert(at, std::move(batch));
    return std::nullopt;
  }
  if (retry) failure = delivery_timeout(options_.delivery_timeout_ms, item.first, batch, failure->what());
  if (options_.idempotence) q.failed(batch);
  return Done{std::move(item), std::nullopt, std::move(failure)};
}

void Producer::complete(std::vector<Done> done) {
  // The topic changed under us (deleted, re-created, its max.message.bytes
  // lowered): the next send() to it refreshes the cached partition count
  // and batch limit. Not here: this may run on the connection's reader
  // thread, which a synchronous call would deadlock.
  for (const auto& d : done) {
    if (d.failure &&
        (d.failure->code() == ErrorCode::unknown_partition || d.failure->code() == ErrorCode::unknown_topic ||
         d.failure->code() == ErrorCode::batch_too_large)) {
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

}  // namespace strata::client
