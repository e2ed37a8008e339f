// Hostile input to the wire decoders: truncations, array counts and lengths
// that lie, bad acks, random and mutated buffers. Every decode must fail
// cleanly (quickly, without allocating for a lying count) and never crash;
// what decodes must re-encode to exactly the bytes consumed.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "protocol/wire_coding.h"
#include "wire_test_util.h"

namespace strata::test::wire {
namespace {

// --- every message type behind one interface ---------------------------------

struct Codec {
  std::string name;
  // Decodes from r; when r is ok afterwards, returns the result re-encoded.
  std::function<std::optional<Buffer>(ByteReader&)> decode;
  std::vector<Buffer> samples;  // valid encodings
};

template <typename M>
Codec make_codec(std::string name, const std::vector<M>& samples) {
  Codec c;
  c.name = std::move(name);
  c.decode = [](ByteReader& r) -> std::optional<Buffer> {
    const M m = M::decode(r);
    if (!r.ok()) return std::nullopt;
    return encode(m);
  };
  for (const auto& s : samples) c.samples.push_back(encode(s));
  return c;
}

const std::vector<Codec>& codecs() {
  static const std::vector<Codec> all = {
      make_codec("ApiVersionsRequest", api_versions_requests()),
      make_codec("ApiVersionsResponse", api_versions_responses()),
      make_codec("MetadataRequest", metadata_requests()),
      make_codec("MetadataResponse", metadata_responses()),
      make_codec("StatusResponse", status_responses()),
      make_codec("CreateTopicRequest", create_topic_requests()),
      make_codec("TopicRequest", topic_requests()),
      make_codec("DescribeConfigsResponse", describe_configs_responses()),
      make_codec("AlterConfigsRequest", alter_configs_requests()),
      make_codec("ProduceRequest", produce_requests()),
      make_codec("ProduceResponse", produce_responses()),
      make_codec("FetchRequest", fetch_requests()),
      make_codec("FetchResponse", fetch_responses()),
      make_codec("ListOffsetsRequest", list_offsets_requests()),
      make_codec("ListOffsetsResponse", list_offsets_responses()),
  };
  return all;
}

// Runs codec.decode over an exactly sized heap copy of `bytes`. Returns
// whether the reader was ok; if so, checks the re-encoding reproduces exactly
// the bytes consumed (the encoding is canonical).
bool decode_checked(const Codec& codec, const Buffer& bytes) {
  const Buffer copy = bytes;
  ByteReader r{view(copy)};
  const std::optional<Buffer> again = codec.decode(r);
  if (!again) {
    CHECK_FALSE(r.ok());
    CHECK(r.remaining() == 0);  // a failed reader stays at the end
    return false;
  }
  const std::size_t consumed = copy.size() - r.remaining();
  CHECK(*again == Buffer(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(consumed)));
  return true;
}

using Clock = std::chrono::steady_clock;
constexpr auto kQuick = std::chrono::milliseconds(250);

// Decodes hostile bytes as M: the reader must fail, quickly, and `inspect`
// checks nothing large was reserved.
template <typename M, typename Inspect>
void expect_rejected(const Buffer& bytes, Inspect inspect) {
  const Buffer copy = bytes;
  ByteReader r{view(copy)};
  const auto t0 = Clock::now();
  const M m = M::decode(r);
  const auto elapsed = Clock::now() - t0;
  CHECK_FALSE(r.ok());
  CHECK(elapsed < kQuick);
  inspect(m);
}

Buffer huge_count_after(const std::function<void(ByteWriter&)>& prefix, std::size_t tail_bytes = 16) {
  ByteWriter w;
  prefix(w);
  w.fixed(kU32Max);
  w.raw(view(Buffer(tail_bytes, 1)));
  return w.take();
}

// The broker's usual outer topic array with one empty-named topic whose
// partition array claims 0xFFFFFFFF entries.
Buffer huge_nested_count(const std::function<void(ByteWriter&)>& prefix) {
  return huge_count_after([&](ByteWriter& w) {
    prefix(w);
    w.fixed<std::uint32_t>(1);
    w.string("");
  }, 64);
}

template <typename Topics>
void expect_small_topics(const Topics& topics) {
  CHECK(topics.capacity() <= 1);
  for (const auto& t : topics) {
    CHECK(t.partitions.empty());
    CHECK(t.partitions.capacity() == 0);
  }
}

}  // namespace

// --- hostile input ------------------------------------------------------------

TEST_CASE("wire: every truncation of every valid encoding fails") {
  for (const Codec& codec : codecs()) {
    CAPTURE(codec.name);
    for (std::size_t s = 0; s < codec.samples.size(); ++s) {
      const Buffer& full = codec.samples[s];
      CAPTURE(s);
      REQUIRE(decode_checked(codec, full));
      // Every cut of small encodings; for the 64 KiB-string ones, the first and
      // last 300 cuts and every 61st in between.
      for (std::size_t n = 0; n < full.size(); ++n) {
        if (full.size() > 8192 && n > 300 && n + 300 < full.size() && n % 61 != 0) continue;
        const Buffer cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
        ByteReader r{view(cut)};
        const std::optional<Buffer> got = codec.decode(r);
        if (got.has_value() || r.ok()) {
          CAPTURE(n);
          FAIL_CHECK("truncated encoding decoded as ok");
        }
      }
    }
  }
}

TEST_CASE("wire: an array count of 0xFFFFFFFF fails without allocating") {
  const auto nothing = [](ByteWriter&) {};

  SUBCASE("ApiVersionsResponse") {
    expect_rejected<ApiVersionsResponse>(huge_count_after([](ByteWriter& w) { write_error(w, ErrorCode::none); }),
                                         [](const ApiVersionsResponse& m) {
                                           CHECK(m.apis.empty());
                                           CHECK(m.apis.capacity() == 0);
                                         });
  }
  SUBCASE("MetadataRequest") {
    expect_rejected<MetadataRequest>(huge_count_after(nothing), [](const MetadataRequest& m) {
      CHECK(m.topics.empty());
      CHECK(m.topics.capacity() == 0);
    });
  }
  SUBCASE("MetadataResponse") {
    expect_rejected<MetadataResponse>(huge_count_after(nothing), [](const MetadataResponse& m) {
      CHECK(m.topics.empty());
      CHECK(m.topics.capacity() == 0);
    });
    const Buffer nested = huge_count_after([](ByteWriter& w) {
      w.fixed<std::uint32_t>(1);
      write_error(w, ErrorCode::none);
      w.string("t");
    }, 64);
    expect_rejected<MetadataResponse>(nested, [](const MetadataResponse& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("CreateTopicRequest") {
    expect_rejected<CreateTopicRequest>(huge_count_after([](ByteWriter& w) {
      w.string("t");
      w.fixed<std::uint32_t>(3);
    }), [](const CreateTopicRequest& m) {
      CHECK(m.configs.empty());
      CHECK(m.configs.capacity() == 0);
    });
  }
  SUBCASE("DescribeConfigsResponse") {
    expect_rejected<DescribeConfigsResponse>(huge_count_after([](ByteWriter& w) {
      write_error(w, ErrorCode::none);
      w.string("");
    }), [](const DescribeConfigsResponse& m) {
      CHECK(m.configs.empty());
      CHECK(m.configs.capacity() == 0);
    });
  }
  SUBCASE("AlterConfigsRequest") {
    expect_rejected<AlterConfigsRequest>(huge_count_after([](ByteWriter& w) { w.string("t"); }),
                                         [](const AlterConfigsRequest& m) {
                                           CHECK(m.configs.empty());
                                           CHECK(m.configs.capacity() == 0);
                                         });
  }
  const auto produce_prefix = [](ByteWriter& w) {
    w.fixed<std::uint8_t>(1);
    w.fixed<std::uint32_t>(1000);
  };
  const auto fetch_prefix = [](ByteWriter& w) {
    w.fixed<std::uint32_t>(1);
    w.fixed<std::uint32_t>(2);
    w.fixed<std::uint32_t>(3);
  };
  SUBCASE("ProduceRequest") {
    expect_rejected<ProduceRequest>(huge_count_after(produce_prefix),
                                    [](const ProduceRequest& m) { expect_small_topics(m.topics); });
    expect_rejected<ProduceRequest>(huge_nested_count(produce_prefix),
                                    [](const ProduceRequest& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("ProduceResponse") {
    expect_rejected<ProduceResponse>(huge_count_after(nothing),
                                     [](const ProduceResponse& m) { expect_small_topics(m.topics); });
    expect_rejected<ProduceResponse>(huge_nested_count(nothing),
                                     [](const ProduceResponse& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("FetchRequest") {
    expect_rejected<FetchRequest>(huge_count_after(fetch_prefix),
                                  [](const FetchRequest& m) { expect_small_topics(m.topics); });
    expect_rejected<FetchRequest>(huge_nested_count(fetch_prefix),
                                  [](const FetchRequest& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("FetchResponse") {
    expect_rejected<FetchResponse>(huge_count_after(nothing),
                                   [](const FetchResponse& m) { expect_small_topics(m.topics); });
    expect_rejected<FetchResponse>(huge_nested_count(nothing),
                                   [](const FetchResponse& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("ListOffsetsRequest") {
    expect_rejected<ListOffsetsRequest>(huge_count_after(nothing),
                                        [](const ListOffsetsRequest& m) { expect_small_topics(m.topics); });
    expect_rejected<ListOffsetsRequest>(huge_nested_count(nothing),
                                        [](const ListOffsetsRequest& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("ListOffsetsResponse") {
    expect_rejected<ListOffsetsResponse>(huge_count_after(nothing),
                                         [](const ListOffsetsResponse& m) { expect_small_topics(m.topics); });
    expect_rejected<ListOffsetsResponse>(huge_nested_count(nothing),
                                         [](const ListOffsetsResponse& m) { expect_small_topics(m.topics); });
  }
  SUBCASE("a count just above what the bytes left could hold") {
    // 3 entries need at least 3 * 6 bytes; 17 follow.
    ByteWriter w;
    write_error(w, ErrorCode::none);
    w.fixed<std::uint32_t>(3);
    w.raw(view(Buffer(17, 0)));
    expect_rejected<ApiVersionsResponse>(w.take(), [](const ApiVersionsResponse& m) {
      CHECK(m.apis.capacity() == 0);
    });
  }
}

TEST_CASE("wire: lengths of 0xFFFF strings and 0xFFFFFFFF blobs with few bytes fail") {
  SUBCASE("string") {
    ByteWriter w;
    w.fixed(kU16Max);
    w.raw(view(Buffer(100, 'a')));
    expect_rejected<TopicRequest>(w.take(), [](const TopicRequest& m) { CHECK(m.name.empty()); });
  }
  SUBCASE("produce batch blob") {
    ByteWriter w;
    w.fixed<std::uint8_t>(2);
    w.fixed<std::uint32_t>(0);
    w.fixed<std::uint32_t>(1);
    w.string("t");
    w.fixed<std::uint32_t>(1);
    w.fixed<std::uint32_t>(0);  // partition
    w.fixed(kU32Max);           // batch length
    w.raw(view(Buffer(100, 0)));
    expect_rejected<ProduceRequest>(w.take(), [](const ProduceRequest& m) {
      for (const auto& t : m.topics)
        for (const auto& p : t.partitions) CHECK(p.batch.empty());
    });
  }
  SUBCASE("fetch records blob") {
    ByteWriter w;
    w.fixed<std::uint32_t>(1);
    w.string("t");
    w.fixed<std::uint32_t>(1);
    FetchPartitionHeader{}.encode(w, kU32Max);
    w.raw(view(Buffer(100, 0)));
    expect_rejected<FetchResponse>(w.take(), [](const FetchResponse& m) {
      for (const auto& t : m.topics)
        for (const auto& p : t.partitions) CHECK(p.records.empty());
    });
  }
}

TEST_CASE("wire: ProduceRequest with an acks byte above 2 fails") {
  const Buffer valid = encode(produce_requests()[2]);
  for (std::uint8_t acks : {std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{2}}) {
    Buffer b = valid;
    b[0] = acks;
    ByteReader r{view(b)};
    const ProduceRequest m = ProduceRequest::decode(r);
    CAPTURE(int{acks});
    CHECK(r.ok());
    CHECK(r.remaining() == 0);
    CHECK(static_cast<std::uint8_t>(m.acks) == acks);
  }
  for (std::uint8_t acks : {std::uint8_t{3}, std::uint8_t{4}, std::uint8_t{0x80}, std::uint8_t{0xFF}}) {
    Buffer b = valid;
    b[0] = acks;
    ByteReader r{view(b)};
    (void)ProduceRequest::decode(r);
    CAPTURE(int{acks});
    CHECK_FALSE(r.ok());
  }
  // Also on the smallest possible produce request.
  const Buffer tiny = {3, 0, 0, 0, 0, 0, 0, 0, 0};
  ByteReader r{view(tiny)};
  (void)ProduceRequest::decode(r);
  CHECK_FALSE(r.ok());
}

TEST_CASE("wire: 20000 random buffers through every decode never crash") {
  std::mt19937 rng(20240531u);  // fixed seed: reproducible
  const auto below = [&rng](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
  std::vector<std::size_t> ok_counts(codecs().size(), 0);
  for (int i = 0; i < 20000; ++i) {
    const std::size_t len = below(8) == 0 ? below(1024) : below(96);
    Buffer b(len);
    const bool small_values = (i % 2) == 1;  // half the buffers favour small counts and lengths
    for (auto& byte : b) {
      if (!small_values) {
        byte = static_cast<std::uint8_t>(below(256));
      } else {
        const std::uint32_t roll = below(16);
        byte = static_cast<std::uint8_t>(roll < 9 ? 0 : roll < 15 ? below(4) : below(256));
      }
    }
    for (std::size_t c = 0; c < codecs().size(); ++c)
      if (decode_checked(codecs()[c], b)) ++ok_counts[c];

    // Frame headers too: when they decode, re-encoding gives the bytes consumed.
    {
      ByteReader r{view(b)};
      const RequestHeader h = read_request_header(r);
      if (r.ok()) {
        ByteWriter w;
        begin_request(w, h);
        const std::size_t consumed = b.size() - r.remaining();
        CHECK(Buffer(w.buffer().begin() + kFrameSizeBytes, w.buffer().end()) ==
              Buffer(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(consumed)));
      }
    }
    {
      ByteReader r{view(b)};
      const ResponseHeader h = read_response_header(r);
      CHECK(r.ok() == (b.size() >= kMinResponseFrame));
      if (r.ok()) {
        ByteWriter w;
        begin_response(w, h.correlation_id, h.error);
        CHECK(Buffer(w.buffer().begin() + kFrameSizeBytes, w.buffer().end()) ==
              Buffer(b.begin(), b.begin() + kMinResponseFrame));
      }
    }
  }
  for (std::size_t c = 0; c < codecs().size(); ++c) MESSAGE(codecs()[c].name, " decoded ok: ", ok_counts[c]);
  CHECK(ok_counts[0] == 20000);  // ApiVersionsRequest has no body: anything decodes
}

TEST_CASE("wire: 20000 mutated valid encodings through every decode never crash") {
  std::mt19937 rng(7u);
  const auto below = [&rng](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  // Small samples only, so mutations land in structure rather than in 64 KiB strings.
  std::vector<const Buffer*> pool;
  for (const Codec& codec : codecs())
    for (const Buffer& s : codec.samples)
      if (!s.empty() && s.size() < 8192) pool.push_back(&s);
  REQUIRE(!pool.empty());
  std::size_t ok_total = 0;
  for (int i = 0; i < 20000; ++i) {
    Buffer b = *pool[below(pool.size())];
    const std::size_t edits = 1 + below(3);
    for (std::size_t e = 0; e < edits && !b.empty(); ++e) {
      const std::size_t at = below(b.size());
      switch (below(5)) {
        case 0: b[at] = static_cast<std::uint8_t>(b[at] ^ (1u << below(8))); break;
        case 1: b[at] = static_cast<std::uint8_t>(below(256)); break;
        case 2: b[at] = 0xFF; break;
        case 3: b.resize(at); break;
        default: b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::uint8_t>(below(256))); break;
      }
    }
    for (const Codec& codec : codecs())
      if (&codec != &codecs()[0] && decode_checked(codec, b)) ++ok_total;
  }
  MESSAGE("mutated buffers decoded ok (excluding ApiVersionsRequest): ", ok_total);
  CHECK(ok_total > 0);
}

}  // namespace strata::test::wire
