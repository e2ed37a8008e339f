// The producer with compression against a real broker: buffer accounting
// follows what send() counted (the uncompressed size), so a producer can
// send many times its buffer_bytes of compressible records; every record
// reads back. (Subtracting the compressed size instead leaked the buffer
// until send() blocked for max_block_ms with nothing in flight.)
#include <doctest/doctest.h>

#include "tests/integration/client_test_util.h"

namespace strata::it {

TEST_CASE("producer compression: 20x buffer_bytes of compressible records go through and read back") {
  ClientFixture f;
  f.client->create_topic("zbuf", 1);
  for (const auto codec : {Compression::lz4, Compression::zstd}) {
    CAPTURE(static_cast<int>(codec));
    ProducerOptions o;
    o.compression = static_cast<strata::Compression>(codec);
    o.buffer_bytes = 1 << 20;
    o.batch_bytes = 64 << 10;
    o.max_block_ms = 5000;
    ScopedProducer kept(*f.client, o);
    const std::string value(1000, 'v');
    constexpr int kRecords = 20'000;  // ~20 MB uncompressed through a 1 MiB buffer
    for (int i = 0; i < kRecords; ++i) {
      ProducerRecord r;
      r.topic = "zbuf";
      r.value = value;
      REQUIRE_NOTHROW(kept->send(r));
    }
    kept->flush();
  }
  const auto records = consume_all(*f.client, "zbuf", {0}, StartPosition::earliest());
  CHECK(records.size() == 40'000);
  CHECK(records.back().value == std::string(1000, 'v'));
}

}  // namespace strata::it
