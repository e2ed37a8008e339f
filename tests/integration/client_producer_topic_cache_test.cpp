// Integration test of a private detail of the library's Producer (so it
// includes client/producer.h, not only strata/*.h: one of the named
// exceptions of the public-headers check, tests/tools/public_headers_check.cmake):
// sends to topics that do not exist leave no per-topic state behind. The
// public Producer shows no cache; client::Producer::cached_topic_count()
// exists for this test.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "client/client.h"
#include "client/producer.h"
#include "tests/integration/client_test_util.h"

namespace strata::it {

// A send to a topic that does not exist throws UNKNOWN_TOPIC and leaves
// nothing cached: a program that sends to many wrong names must not grow
// the producer's per-topic state.
TEST_CASE("client library: sends to unknown topics throw and cache nothing, a real topic is cached once") {
  ClientFixture f;
  f.client->create_topic("real", 3);
  client::Client c(ClientOptions{f.address});
  auto producer = std::make_unique<client::Producer>(c);
  for (int i = 0; i < 200; ++i) {
    ProducerRecord r;
    r.topic = "no-such-topic-" + std::to_string(i);
    r.value = "v";
    if (i % 2 == 0) r.key = "k";  // keyed and keyless take the same path
    try {
      producer->send(r);
      FAIL("send to " << r.topic << " did not throw");
    } catch (const strata::Error& e) {
      CHECK(e.code() == ErrorCode::unknown_topic);
    }
  }
  CHECK(producer->cached_topic_count() == 0);
  ProducerRecord r;
  r.topic = "real";
  r.value = "v";
  for (int i = 0; i < 5; ++i) producer->send(r);
  producer->flush();
  CHECK(producer->cached_topic_count() == 1);
}

}  // namespace strata::it
