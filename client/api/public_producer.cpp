// strata::Producer and strata::Consumer (strata/producer.h, consumer.h)
// over the library's own: the value types are the same, so each call
// forwards without converting.
#include "client/api/impl.h"
#include "protocol/partitioner.h"

namespace strata {

std::uint32_t partition_for_key(std::string_view key, std::uint32_t partitions) {
  return protocol::partition_for_key(protocol::as_bytes(key), partitions);
}

Producer::Producer(Client& client, ProducerOptions options)
    : impl_(std::make_unique<Impl>(client.impl().client, options)) {}
Producer::~Producer() = default;

void Producer::send(const ProducerRecord& record, SendCallback callback) {
  impl_->producer.send(record, std::move(callback));
}

std::future<RecordMetadata> Producer::send_future(const ProducerRecord& record) {
  return impl_->producer.send(record, std::promise<RecordMetadata>());
}

void Producer::flush() { impl_->producer.flush(); }

bool Producer::flush_for(std::chrono::milliseconds timeout) { return impl_->producer.flush_for(timeout); }

std::uint32_t Producer::partition_for(const std::string& topic, std::optional<std::string_view> key) {
  return impl_->producer.partition_for(topic, key);
}

Consumer::Consumer(Client& client, ConsumerOptions options)
    : impl_(std::make_unique<Impl>(client.impl().client, options)) {}
Consumer::~Consumer() = default;

void Consumer::assign(const std::string& topic, std::uint32_t partition, StartPosition start) {
  impl_->consumer.assign(topic, partition, start);
}

std::vector<ConsumerRecord> Consumer::poll(int timeout_ms) { return impl_->consumer.poll(timeout_ms); }

std::uint64_t Consumer::position(const std::string& topic, std::uint32_t partition) {
  return impl_->consumer.position(topic, partition);
}

bool Consumer::at_end() { return impl_->consumer.at_end(); }

std::size_t Consumer::poll_each(int timeout_ms, const RecordVisitor& visit) {
  return impl_->consumer.poll_each(timeout_ms, visit);
}

std::uint64_t Consumer::log_end(const std::string& topic, std::uint32_t partition) {
  return impl_->consumer.log_end(topic, partition);
}

}  // namespace strata
