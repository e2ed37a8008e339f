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
// Fetch (v9 or v10, the same fields) of partition 0 of `topic` from offset 0.
FetchedPartition fetch(std::uint16_t kafka_port, const std::string& topic, std::int16_t version) {
  KafkaSocket s(kafka_port);
  Be body;
  body.i32(-1).i32(0).i32(0).i32(1 << 20).i8(0).i32(0).i32(-1);  // replica, wait, min, max, isolation, session
  body.i32(1).str(topic).i32(1).i32(0).i32(-1).i64(0).i64(-1).i32(1 << 20).i32(0);
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
  p.records_size = c.next<std::int32_t>();
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
    protocol::BatchBuilder builder(codec);
    for (const auto& r : make_records(topic, 0, 3, now_ms())) {
      builder.add(r.timestamp, protocol::as_bytes(r.key), protocol::as_bytes(r.value));
    }
    REQUIRE(c->produce(topic, 0, builder.finish()).error == protocol::ErrorCode::none);
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

}  // namespace
}  // namespace strata::it
