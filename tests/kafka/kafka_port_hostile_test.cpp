// Hostile clients on the broker's Kafka port (a real strata-broker process):
// garbage, oversized and undersized frames, truncated headers, unknown APIs
// and versions, and more connections than max.connections allows, which the
// two front doors share. Kafka has no error frame for a request it cannot
// read, so each of these closes the connection (ApiVersions excepted, which
// is always answered, KIP-511); after each, a new Kafka connection is served
// and the broker process still runs.
#include <doctest/doctest.h>

#include <random>

#include "tests/integration/test_util.h"
#include "tests/kafka/kafka_socket.h"

namespace strata::it {
namespace {

struct KafkaPortFixture : BrokerFixture {
  explicit KafkaPortFixture(std::vector<std::string> args = {}) : BrokerFixture(std::move(args)) {
    REQUIRE(broker->kafka_port() != 0);
  }
  // A new Kafka connection is served; the process runs.
  void check_healthy() {
    REQUIRE(broker->running());
    KafkaSocket s(broker->kafka_port());
    check_api_versions(s, 77);
  }
  // `bytes` on a new connection make the broker close it.
  void check_closes(const std::vector<std::uint8_t>& bytes) {
    KafkaSocket s(broker->kafka_port());
    (void)s.send(bytes);
    CHECK(s.wait_closed());
    check_healthy();
  }
};

TEST_CASE("kafka port: oversized, negative and undersized frame sizes close the connection") {
  KafkaPortFixture f({"--max-frame-bytes", "1048576"});
  f.check_closes(Be().i32(0x7fffffff).i16(0).i16(3).i32(1).bytes());  // 2 GiB announced
  f.check_closes(Be().i32(-1).i16(0).i16(3).i32(1).bytes());          // negative
  f.check_closes(Be().i32(2 << 20).i16(0).i16(3).i32(1).bytes());     // over --max-frame-bytes
  f.check_closes(Be().i32(4).i32(0).bytes());                         // shorter than a header
}

TEST_CASE("kafka port: a truncated header, an unknown API and an unserved version close the connection") {
  KafkaPortFixture f;
  // Client id length 100 with 2 bytes left.
  f.check_closes(Be().i32(0).i16(3).i16(1).i32(5).i16(100).raw({1, 2}).patch_frame_size().bytes());
  f.check_closes(request(999, 0, 6));      // no such API
  f.check_closes(request(0, 2, 7));        // Produce v2 (3-7 served)
  f.check_closes(request(1, 12, 8));       // Fetch v12 (flexible, not served)
  f.check_closes(request(3, 1, 9, {0, 0, 0, 5}));  // Metadata v1: 5 topics announced, none sent
}

TEST_CASE("kafka port: ApiVersions of an unserved version is answered and the connection stays open") {
  KafkaPortFixture f;
  KafkaSocket s(f.broker->kafka_port());
  // Header v2, as clients send ApiVersions v3+: an empty tagged-field section.
  REQUIRE(s.send(request(18, 9, 41, {0})));
  const auto frame = s.read_frame();
  REQUIRE(frame.has_value());
  CHECK(protocol::load_be<std::int32_t>(frame->data()) == 41);
  CHECK(protocol::load_be<std::int16_t>(frame->data() + 4) == 35);  // UNSUPPORTED_VERSION, v0 format
  check_api_versions(s, 42);  // the same connection
}

TEST_CASE("kafka port: 200 connections of seeded random garbage, the broker stays up") {
  KafkaPortFixture f;
  std::mt19937 rng(19);
  for (int i = 0; i < 200; ++i) {
    std::vector<std::uint8_t> junk(16 + rng() % 200);
    for (auto& b : junk) b = static_cast<std::uint8_t>(rng());
    if (i % 2 == 0) {
      // A plausible size and a real API key, then garbage: the decoders' turn.
      const auto size = static_cast<std::uint32_t>(junk.size() - 4);
      for (int k = 0; k < 4; ++k) junk[static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(size >> (8 * (3 - k)));
      junk[4] = 0;
      junk[5] = static_cast<std::uint8_t>(rng() % 4);  // Produce, Fetch, ListOffsets, Metadata
    }
    KafkaSocket s(f.broker->kafka_port());
    (void)s.send(junk);
    // Answered (a request that happened to decode) or closed; never a hang.
    CHECK((s.wait_closed(3000ms) || f.broker->running()));
  }
  f.check_healthy();
}

TEST_CASE("kafka port: the two front doors share max.connections") {
  KafkaPortFixture f({"--max-connections", "20"});
  std::vector<std::unique_ptr<WireClient>> native;
  REQUIRE(eventually(
      [&] {
        while (native.size() < 20) {
          auto c = f.client();
          ResponseFrame r;
          const std::uint32_t id = c->send(protocol::ApiKey::api_versions, protocol::ApiVersionsRequest{});
          if (c->read_frame(r, 3000ms) != ReadOutcome::frame || r.header.error != protocol::ErrorCode::none ||
              r.header.correlation_id != id) {
            return false;
          }
          native.push_back(std::move(c));
        }
        return true;
      },
      5000ms));
  // The strata connections fill the count: a Kafka connection is refused
  // (closed unanswered: Kafka has no such error frame).
  for (int i = 0; i < 10; ++i) {
    KafkaSocket s(f.broker->kafka_port());
    (void)s.send(request(18, 0, 100 + i));
    CHECK_FALSE(s.read_frame(3000ms).has_value());
  }
  native.clear();
  REQUIRE(eventually(
      [&] {
        KafkaSocket s(f.broker->kafka_port());
        return s.send(request(18, 0, 200)) && s.read_frame(1000ms).has_value();
      },
      5000ms));
}

}  // namespace
}  // namespace strata::it
