// The Kafka front door of a real strata-broker process, spoken to in raw
// Kafka bytes: its options (kafka.listen off or malformed,
// kafka.advertised.listen in Metadata) and the semantics real clients only
// touch by chance: zstd batches refused to a Fetch older than v10 and
// served to v10, LastStableOffset equal to the high watermark.
#include <doctest/doctest.h>

#include "protocol/batch_builder.h"
#include "tests/integration/test_util.h"
#include "tests/kafka/kafka_socket.h"

namespace strata::it {
namespace {

// A big-endian cursor over a response frame.
struct BeCursor {
  const std::vector<std::uint8_t>& f;
  std::size_t at = 0;
  template <typename T>
  T next() {
    REQUIRE(at + sizeof(T) <= f.size());
    const T v = protocol::load_be<T>(f.data() + at);
    at += sizeof(T);
    return v;
  }
  std::string str() {
    const auto n = static_cast<std::size_t>(next<std::int16_t>());
    REQUIRE(at + n <= f.size());
    std::string s(f.begin() + static_cast<std::ptrdiff_t>(at), f.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
    return s;
  }
};

// Metadata v1 for no topics: this broker's node id, host and port.
struct NamedBroker {
  std::int32_t node = -1;
  std::string host;
  std::int32_t port = 0;
};
NamedBroker metadata_broker(std::uint16_t kafka_port) {
  KafkaSocket s(kafka_port);
  REQUIRE(s.send(request(3, 1, 5, Be().i32(0).bytes())));
  const auto frame = s.read_frame();
  REQUIRE(frame.has_value());
  BeCursor c{*frame};
  CHECK(c.next<std::int32_t>() == 5);
  REQUIRE(c.next<std::int32_t>() == 1);  // one broker
  NamedBroker b;
  b.node = c.next<std::int32_t>();
  b.host = c.str();
  b.port = c.next<std::int32_t>();
  return b;
}

struct FetchedPartition {
  std::int16_t error = -1;
  std::int64_t high_watermark = -1;
  std::int64_t last_stable = -1;
  std::int32_t records_size = -1;
};
// Fetch v9-11 of partition 0 of `topic` from offset 0 (v11 adds the rack id
// and PreferredReadReplica, which must be -1).
FetchedPartition fetch(std::uint16_t kafka_port, const std::string& topic, std::int16_t version) {
  KafkaSocket s(kafka_port);
  Be body;
  body.i32(-1).i32(0).i32(0).i32(1 << 20).i8(0).i32(0).i32(-1);  // replica, wait, min, max, isolation, session
  body.i32(1).str(topic).i32(1).i32(0).i32(-1).i64(0).i64(-1).i32(1 << 20).i32(0);
  if (version >= 11) body.str("");
  REQUIRE(s.send(request(1, version, 9, body.bytes())));
  const auto frame = s.read_frame();
  REQUIRE(frame.has_value());
  BeCursor c{*frame};
  CHECK(c.next<std::int32_t>() == 9);
  (void)c.next<std::int32_t>();                // throttle
  CHECK(c.next<std::int16_t>() == 0);          // top-level error
  CHECK(c.next<std::int32_t>() == 0);          // no fetch sessions
  REQUIRE(c.next<std::int32_t>() == 1);
  CHECK(c.str() == topic);
  REQUIRE(c.next<std::int32_t>() == 1);
  CHECK(c.next<std::int32_t>() == 0);
  FetchedPartition p;
  p.error = c.next<std::int16_t>();
  p.high_watermark = c.next<std::int64_t>();
  p.last_stable = c.next<std::int64_t>();
  (void)c.next<std::int64_t>();  // log start
  const auto aborted = c.next<std::int32_t>();
  CHECK(aborted <= 0);
  if (version >= 11) CHECK(c.next<std::int32_t>() == -1);
  p.records_size = c.next<std::int32_t>();
  return p;
}

// One batch of three records compressed with `codec`.
std::vector<std::uint8_t> batch_of_three(const std::string& prefix, protocol::Compression codec) {
  protocol::BatchBuilder builder(codec);
  for (const auto& r : make_records(prefix, 0, 3, now_ms())) {
    builder.add(r.timestamp, protocol::as_bytes(r.key), protocol::as_bytes(r.value));
  }
  return builder.finish();
}

// A Produce request (v3-7 share their fields) of one batch to one partition.
std::vector<std::uint8_t> produce_request(std::int16_t version, std::int32_t correlation, std::int16_t acks,
                                          const std::string& topic, std::int32_t partition,
                                          const std::vector<std::uint8_t>& batch) {
  Be body;
  body.null_str().i16(acks).i32(10000).i32(1).str(topic).i32(1).i32(partition);
  body.i32(static_cast<std::int32_t>(batch.size())).raw(batch);
  return request(0, version, correlation, body.bytes());
}

struct Produced {
  std::int16_t error = -1;
  std::int64_t base_offset = -1;
};
Produced produce(KafkaSocket& s, std::int16_t version, std::int16_t acks, const std::string& topic,
                 std::int32_t partition, const std::vector<std::uint8_t>& batch) {
  REQUIRE(s.send(produce_request(version, 31, acks, topic, partition, batch)));
  const auto frame = s.read_frame();
  REQUIRE(frame.has_value());
  BeCursor c{*frame};
  CHECK(c.next<std::int32_t>() == 31);
  REQUIRE(c.next<std::int32_t>() == 1);
  CHECK(c.str() == topic);
  REQUIRE(c.next<std::int32_t>() == 1);
  CHECK(c.next<std::int32_t>() == partition);
  Produced p;
  p.error = c.next<std::int16_t>();
  p.base_offset = c.next<std::int64_t>();
  return p;
}

TEST_CASE("kafka front door: an empty kafka.listen turns it off, a malformed one is refused by name") {
  BrokerFixture off({"--kafka-listen", ""});
  CHECK(off.broker->kafka_port() == 0);
  CHECK(off.broker->count_log("Kafka clients on") == 0);
  TempDir dir;
  try {
    BrokerProcess bad(dir.path() / "data", {"--kafka-listen", "no-port"}, 5s);
    FAIL("a broker started with --kafka-listen no-port");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("kafka.listen (--kafka-listen)") != std::string::npos);
  }
}

TEST_CASE("kafka front door: Metadata names the bound address, or kafka.advertised.listen") {
  BrokerFixture plain;
  const NamedBroker bound = metadata_broker(plain.broker->kafka_port());
  CHECK(bound.node == 0);
  CHECK(bound.host == "127.0.0.1");
  CHECK(bound.port == plain.broker->kafka_port());
  BrokerFixture advertised({"--kafka-advertised-listen", "kafka.example:19999"});
  const NamedBroker named = metadata_broker(advertised.broker->kafka_port());
  CHECK(named.host == "kafka.example");
  CHECK(named.port == 19999);
}

TEST_CASE("kafka front door: a zstd batch is UNSUPPORTED_COMPRESSION_TYPE to Fetch v9 and served to v10") {
  BrokerFixture f;
  auto c = f.client();
  for (const auto& [topic, codec] : {std::pair{"z", protocol::Compression::zstd}, {"g", protocol::Compression::gzip}}) {
    REQUIRE(c->create_topic(topic, 1).error == protocol::ErrorCode::none);
    REQUIRE(c->produce(topic, 0, batch_of_three(topic, codec)).error == protocol::ErrorCode::none);
  }
  const FetchedPartition old_zstd = fetch(f.broker->kafka_port(), "z", 9);
  CHECK(old_zstd.error == 76);  // UNSUPPORTED_COMPRESSION_TYPE
  CHECK(old_zstd.records_size == 0);
  const FetchedPartition new_zstd = fetch(f.broker->kafka_port(), "z", 10);
  CHECK(new_zstd.error == 0);
  CHECK(new_zstd.records_size > 0);
  const FetchedPartition old_gzip = fetch(f.broker->kafka_port(), "g", 9);
  CHECK(old_gzip.error == 0);
  CHECK(old_gzip.records_size > 0);
  for (const auto& p : {old_zstd, new_zstd, old_gzip}) {
    CHECK(p.high_watermark == 3);
    CHECK(p.last_stable == p.high_watermark);  // librdkafka reads up to it
  }
}

TEST_CASE("kafka front door: Produce applies Kafka's acks and zstd rules, and acks=0 gets no answer") {
  BrokerFixture f;
  REQUIRE(f.client()->create_topic("p", 1).error == protocol::ErrorCode::none);
  KafkaSocket s(f.broker->kafka_port());
  const auto zstd = batch_of_three("z", protocol::Compression::zstd);
  const auto gzip = batch_of_three("g", protocol::Compression::gzip);
  CHECK(produce(s, 6, -1, "p", 0, zstd).error == 76);  // UNSUPPORTED_COMPRESSION_TYPE before v7
  const Produced v7 = produce(s, 7, -1, "p", 0, zstd);
  CHECK(v7.error == 0);
  CHECK(v7.base_offset == 0);
  CHECK(produce(s, 7, 2, "p", 0, gzip).error == 21);   // INVALID_REQUIRED_ACKS
  CHECK(produce(s, 3, 1, "p", 5, gzip).error == 3);    // UNKNOWN_TOPIC_OR_PARTITION
  CHECK(produce(s, 3, 1, "nope", 0, gzip).error == 3); // auto.create.topics is off
  // acks=0: stored, never answered; the next answer on the connection is the next request's.
  REQUIRE(s.send(produce_request(7, 32, 0, "p", 0, gzip)));
  check_api_versions(s, 33);
  REQUIRE(eventually([&] { return fetch(f.broker->kafka_port(), "p", 11).high_watermark == 6; }, 5000ms));
}

}  // namespace
}  // namespace strata::it
