// Integration test of the idempotent Producer against a real broker: several
// batches of one partition in flight keep their order, and a batch that
// fails for good does not leave the partition's later batches refused as
// out of order (the producer moves them to a new producer id).
#include <doctest/doctest.h>

#include "protocol/record_batch.h"  // kProducerBatchesKept: the broker's limit the option is checked against
#include "tests/integration/client_library_test_util.h"

namespace strata::it {
using namespace library;

namespace {

// Sends `count` records "v0", "v1", ... to partition 0 of `topic` in many
// small batches and checks they come back once each, in order, at the
// offsets their acks reported.
void check_order_kept(ClientFixture& f, const std::string& topic, ProducerOptions options) {
  constexpr std::size_t kCount = 20000;
  std::vector<std::string> values;
  for (std::size_t i = 0; i < kCount; ++i) values.push_back("v" + std::to_string(i));
  std::vector<Ack> acks(kCount);
  {
    ScopedProducer kept(*f.client, options);
    for (std::size_t i = 0; i < kCount; ++i) {
      ProducerRecord r = make_record(topic, std::nullopt, values[i]);
      r.partition = 0;
      (*kept).send(r, record_ack(acks, i));
    }
    (*kept).flush();
  }
  for (std::size_t i = 0; i < kCount; ++i) {
    REQUIRE_MESSAGE(acks[i].error.empty(), acks[i].error);
    REQUIRE(acks[i].offset == static_cast<std::int64_t>(i));
  }
  const auto records = consume_all(*f.client, topic, {0}, StartPosition::earliest());
  REQUIRE(records.size() == kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    REQUIRE(records[i].offset == i);
    REQUIRE(records[i].value == values[i]);
  }
}

}  // namespace

TEST_CASE("client library: an idempotent producer with 5 batches of a partition in flight keeps their order") {
  ClientFixture f;
  f.client->create_topic("order", 1);
  ProducerOptions options;
  options.batch_bytes = 1024;  // ~100 records a batch: 200 batches
  options.linger_ms = 0;
  options.max_in_flight = 16;
  REQUIRE(options.idempotence);
  REQUIRE(options.max_in_flight_per_partition == 5);
  check_order_kept(f, "order", options);
}

TEST_CASE("client library: more batches in flight per partition than the broker remembers is refused") {
  ClientFixture f;
  ProducerOptions options;
  options.max_in_flight_per_partition = protocol::kProducerBatchesKept + 1;
  CHECK_THROWS_WITH_AS(Producer(*f.client, options), doctest::Contains("max_in_flight_per_partition"), Error);
  options.max_in_flight_per_partition = 0;
  CHECK_THROWS_AS(Producer(*f.client, options), Error);
  options.idempotence = false;  // one batch in flight then, whatever the option says
  CHECK_NOTHROW(Producer(*f.client, options));
}

TEST_CASE("client library: without idempotence a partition's batches still arrive in order") {
  ClientFixture f;
  f.client->create_topic("plain", 1);
  ProducerOptions options;
  options.batch_bytes = 1024;
  options.linger_ms = 0;
  options.idempotence = false;
  check_order_kept(f, "plain", options);
}

TEST_CASE("client library: after a batch fails for good the partition's later batches are still accepted") {
  ClientFixture f;
  const std::string topic = "refused";
  f.client->create_topic(topic, 1);
  ProducerOptions options;
  options.linger_ms = 0;
  options.retry_backoff_ms = 10;
  // Sent alone, within the limit the producer learnt, and refused: the
  // limit was lowered since (BATCH_TOO_LARGE, not retriable).
  const std::string big(8192, 'x');
  std::vector<Ack> acks(41);
  {
    ScopedProducer kept(*f.client, options);
    Producer& producer = *kept;
    auto send = [&](std::size_t i, std::string_view value) {
      ProducerRecord r = make_record(topic, std::nullopt, value);
      r.partition = 0;
      producer.send(r, record_ack(acks, i));
    };
    for (std::size_t i = 0; i < 20; ++i) send(i, "before-" + std::to_string(i));
    producer.flush();
    f.client->alter_configs(topic, {{"max.message.bytes", "4096"}});
    send(20, big);
    producer.flush();
    // These carry sequence numbers after the refused batch's: without a new
    // producer id the broker would refuse each as OUT_OF_ORDER_SEQUENCE.
    for (std::size_t i = 21; i < 41; ++i) send(i, "after-" + std::to_string(i));
    producer.flush();
  }
  REQUIRE(acks[20].done);
  CHECK_MESSAGE(acks[20].error.find("BATCH_TOO_LARGE") != std::string::npos, acks[20].error);
  CHECK_MESSAGE(acks[20].error.find("as a batch of one") == std::string::npos, "the broker refused it: " << acks[20].error);
  for (std::size_t i = 0; i < 41; ++i) {
    if (i == 20) continue;
    CAPTURE(i);
    CHECK_MESSAGE(acks[i].error.empty(), acks[i].error);
  }
  const auto records = consume_all(*f.client, topic, {0}, StartPosition::earliest());
  REQUIRE(records.size() == 40);
  CHECK(records.front().value == "before-0");
  CHECK(records.back().value == "after-40");
}

}  // namespace strata::it
