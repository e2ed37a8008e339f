#include "client/consumer.h"

#include <algorithm>

#include "protocol/batch_validator.h"
#include "protocol/record.h"

namespace strata::client {

using protocol::ErrorCode;

Consumer::Consumer(Client& client, ConsumerOptions options)
    : client_(client),
      options_(options),
      links_(client.options().broker, client.options().connect_timeout_ms, client.options().client_id) {}

void Consumer::assign(const std::string& topic, std::uint32_t partition, StartPosition start) {
  if (start.kind == StartPosition::Kind::timestamp && start.value < 0) {
    // -1 and -2 would reach the broker as "latest" and "earliest".
    throw ClientError::usage("StartPosition::at_time(" + std::to_string(start.value) +
                             "): times are milliseconds since 1970 and must be >= 0");
  }
  client_.check_partition(topic, partition);
  if (pending_ && pending_->key == Key{topic, partition}) pending_.reset();
  assignments_[{topic, partition}] = Assignment{start, std::nullopt, std::nullopt};
}

std::uint64_t Consumer::resolve(const Key& key, Assignment& a) {
  if (a.position) return *a.position;
  std::int64_t offset = 0;
  switch (a.start.kind) {
    case StartPosition::Kind::offset: offset = a.start.value; break;
    case StartPosition::Kind::earliest:
      offset = client_.list_offset(key.first, key.second, protocol::kEarliestTimestamp);
      break;
    case StartPosition::Kind::latest:
      offset = client_.list_offset(key.first, key.second, protocol::kLatestTimestamp);
      break;
    case StartPosition::Kind::timestamp:
      offset = client_.list_offset(key.first, key.second, a.start.value);
      if (offset == protocol::kNoOffset) offset = client_.list_offset(key.first, key.second, protocol::kLatestTimestamp);
      break;
  }
  a.position = static_cast<std::uint64_t>(offset);
  return *a.position;
}

std::uint64_t Consumer::position(const std::string& topic, std::uint32_t partition) {
  auto it = assignments_.find({topic, partition});
  if (it == assignments_.end()) throw ClientError::usage(topic + "/" + std::to_string(partition) + " is not assigned");
  return resolve(it->first, it->second);
}

std::uint64_t Consumer::log_end(const std::string& topic, std::uint32_t partition) {
  auto it = assignments_.find({topic, partition});
  if (it == assignments_.end()) throw ClientError::usage(topic + "/" + std::to_string(partition) + " is not assigned");
  if (!it->second.log_end) {
    it->second.log_end = static_cast<std::uint64_t>(client_.list_offset(topic, partition, protocol::kLatestTimestamp));
  }
  return *it->second.log_end;
}

bool Consumer::at_end() {
  for (auto& [key, a] : assignments_) {
    if (position(key.first, key.second) < log_end(key.first, key.second)) return false;
  }
  return true;
}

}  // namespace strata::client

namespace strata {

std::vector<Header> RecordView::headers() const {
  std::vector<Header> out;
  for (const auto& h : protocol::decode_headers(*static_cast<const protocol::Record*>(record_))) {
    // A null header value (Kafka allows one) reads as empty here.
    out.push_back({std::string(protocol::as_string(h.name)),
                   h.value ? std::string(protocol::as_string(*h.value)) : std::string()});
  }
  return out;
}

ConsumerRecord RecordView::to_record() const {
  ConsumerRecord c;
  c.topic = *topic_;
  c.partition = partition_;
  c.offset = offset_;
  c.timestamp = timestamp_;
  if (key_) c.key = std::string(*key_);
  if (value_) c.value = std::string(*value_);
  if (static_cast<const protocol::Record*>(record_)->header_count > 0) c.headers = headers();
  return c;
}

}  // namespace strata

namespace strata::client {

namespace {

std::optional<std::string_view> text(const std::optional<protocol::Bytes>& b) noexcept {
  if (!b) return std::nullopt;
  return protocol::as_string(*b);
}

}  // namespace

std::optional<ClientError> Consumer::decode_records(const Key& key, Assignment& a, protocol::Bytes records,
                                                   const RecordVisitor& visit, std::size_t& visited) {
  std::size_t at = 0;
  while (records.size() - at >= protocol::batch_layout::kFramingSize) {
    const std::size_t size = protocol::framed_size(records.subspan(at));
    if (size > records.size() - at) break;  // never happens with whole batches; be safe
    const protocol::Bytes bytes = records.subspan(at, size);
    auto corrupt = [&](std::error_code ec) {
      return ClientError::from_broker(ErrorCode::corrupt_batch, "fetched batch from " + key.first + "/" +
                                                                    std::to_string(key.second) + " at offset " +
                                                                    std::to_string(*a.position) + ": " +
                                                                    ec.message());
    };
    // One walk of the records (CRC first): they are parsed into views and
    // checked (count, increasing offsets in range) before any is handed
    // over, so a damaged batch gives none of its records.
    auto header = protocol::verify_batch(bytes, protocol::kMaxBatchBytes);
    if (!header) return corrupt(header.error());
    auto plain = protocol::batch_records(bytes, header.value(), scratch_);
    if (!plain) return corrupt(plain.error());
    auto reader = protocol::RecordReader::over_records(plain.value(), header.value());
    batch_records_.clear();
    protocol::Record r;
    while (reader.next(r)) {
      const bool in_order = batch_records_.empty() ? r.offset >= header.value().base_offset
                                                   : r.offset > batch_records_.back().offset;
      if (!in_order || r.offset > header.value().last_offset()) {
        return corrupt(protocol::BatchErrc::offset_delta_mismatch);
      }
      batch_records_.push_back(r);
    }
    if (reader.error()) return corrupt(reader.error());
    if (batch_records_.size() != header.value().record_count) {
      return corrupt(protocol::BatchErrc::record_count_mismatch);
    }
    for (const protocol::Record& rec : batch_records_) {
      if (rec.offset < *a.position) continue;  // the batch starts before the position
      visit(RecordView(key.first, key.second, rec.offset, rec.timestamp, text(rec.key), text(rec.value), &rec));
      ++visited;
      a.position = rec.offset + 1;
    }
    a.position = std::max(*a.position, header.value().next_offset());
    at += size;
  }
  return std::nullopt;
}

bool Consumer::reset_position(Assignment& a, const protocol::FetchPartitionHeader& header) const {
  if (header.error != ErrorCode::offset_out_of_range) return false;
  switch (options_.offset_reset) {
    case ConsumerOptions::OffsetReset::none: return false;
    case ConsumerOptions::OffsetReset::earliest: a.position = header.log_start; return true;
    case ConsumerOptions::OffsetReset::latest: a.position = header.log_end; return true;
  }
  return false;
}

void Consumer::throw_pending() {
  if (!pending_) return;
  ClientError error = std::move(pending_->error);
  pending_.reset();
  throw error;
}

std::vector<ConsumerRecord> Consumer::poll(int timeout_ms) {
  std::vector<ConsumerRecord> out;
  (void)poll_each(timeout_ms, [&out](const RecordView& r) { out.push_back(r.to_record()); });
  return out;
}

void Consumer::hold(const Key& key, ClientError error) {
  if (!pending_) pending_ = PendingError{key, std::move(error)};
}

void Consumer::send_fetches(int timeout_ms) {
  std::map<std::string, std::vector<Key>> by_broker;  // leader's address ("": standalone) -> partitions
  for (auto& [key, a] : assignments_) {
    if (links_.out(key)) continue;
    try {
      const auto route = client_.route_for(key.first, key.second);
      by_broker[route ? route->address : std::string()].push_back(key);
    } catch (const ClientError& e) {
      hold(key, e);  // its broker is down, its topic gone...: the others are fetched
    }
  }
  for (const auto& [address, keys] : by_broker) {
    // A partition just assigned, or just moved to a broker with a fetch
    // out: it joins that broker's next fetch.
    if (links_.busy(address)) continue;
    protocol::FetchRequest request;
    request.max_wait_ms = static_cast<std::uint32_t>(std::max(0, timeout_ms));
    request.min_bytes = options_.min_bytes;
    request.max_bytes = options_.max_bytes;
    std::vector<FetchLinks::Asked> asked;
    for (const Key& key : keys) {
      const std::uint64_t offset = resolve(key, assignments_.at(key));
      if (request.topics.empty() || request.topics.back().name != key.first) request.topics.push_back({key.first, {}});
      request.topics.back().partitions.push_back({key.second, offset, options_.partition_max_bytes});
      asked.push_back({key, offset});
    }
    auto failed = links_.send(address, request, std::move(asked), client_.options().request_timeout_ms + timeout_ms);
    if (failed) (void)take_reply(*failed, {});
  }
}

std::size_t Consumer::take_reply(FetchLinks::Reply& reply, const RecordVisitor& visit) {
  std::size_t visited = 0;
  if (reply.error) {
    // The broker's connection broke or timed out: its partitions' leaders
    // are asked again before they are fetched next.
    for (const auto& a : reply.asked) client_.forget_leaders(a.key.first);
    if (!reply.asked.empty()) hold(reply.asked.front().key, std::move(*reply.error));
    return visited;
  }
  protocol::ByteReader r(reply.frame->body());
  auto response = protocol::FetchResponse::decode(r);
  if (!r.ok()) {
    hold(reply.asked.front().key, ClientError::network("malformed Fetch response"));
    return visited;
  }
  // Every partition is handled before any error is thrown: the records of
  // the others have been handed over and their positions moved past them.
  for (const auto& t : response.topics) {
    for (const auto& p : t.partitions) {
      const Key key{t.name, p.header.partition};
      const auto asked = std::find_if(reply.asked.begin(), reply.asked.end(),
                                      [&key](const FetchLinks::Asked& a) { return a.key == key; });
      auto it = assignments_.find(key);
      // Re-assigned while the fetch was out: its records are from elsewhere.
      if (asked == reply.asked.end() || it == assignments_.end() || it->second.position != asked->offset) continue;
      Assignment& a = it->second;
      if (reset_position(a, p.header)) continue;
      std::optional<ClientError> error;
      if (p.header.error == ErrorCode::not_leader) {
        client_.forget_leaders(t.name);  // it moved: the next poll asks its new leader
      } else if (p.header.error != ErrorCode::none) {
        if (p.header.error == ErrorCode::leader_not_available) client_.forget_leaders(t.name);
        error = ClientError::from_broker(p.header.error, t.name + "/" + std::to_string(p.header.partition) +
                                                             " at offset " + std::to_string(*a.position) +
                                                             " (log has " + std::to_string(p.header.log_start) +
                                                             ".." + std::to_string(p.header.log_end) + ")");
      } else {
        a.log_end = p.header.log_end;
        error = decode_records(key, a, p.records, visit, visited);
      }
      if (error) hold(key, std::move(*error));
    }
  }
  return visited;
}

std::size_t Consumer::poll_each(int timeout_ms, const RecordVisitor& visit) {
  throw_pending();
  std::size_t visited = 0;
  if (assignments_.empty()) return visited;
  send_fetches(timeout_ms);
  // Replies as they come, until one hands over records or an error (the
  // fetches still out are read by the next poll). A partition without a
  // leader now does not cut the others' long poll short.
  const bool unrouted = pending_.has_value();
  while (links_.any_out() && visited == 0 && (unrouted || !pending_)) {
    for (auto& reply : links_.wait()) visited += take_reply(reply, visit);
  }
  if (visited == 0) throw_pending();
  return visited;
}

}  // namespace strata::client
