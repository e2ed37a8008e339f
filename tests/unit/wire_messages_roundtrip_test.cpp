// Wire message round trips: encode -> decode of every request and response
// gives back every field and the same bytes, strings at the 65535-byte limit,
// and the exact byte layout where the broker depends on it (produced batches
// as views into the frame, Fetch records right after each partition header).
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "protocol/retention_messages.h"
#include "wire_test_util.h"

namespace strata::test::wire {
namespace {

// Decodes `bytes` from an exactly sized heap copy (so ASan sees any overread)
// and requires the whole encoding to be consumed. The copy is kept alive in
// `storage` because decoded views point into it.
template <typename M>
M decode_exact(const Buffer& bytes, Buffer& storage) {
  storage = bytes;
  ByteReader r{view(storage)};
  M m = M::decode(r);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
  return m;
}

// encode -> decode -> compare, and decode -> encode gives the same bytes.
template <typename M>
void round_trip(const M& m) {
  const Buffer bytes = encode(m);
  Buffer storage;
  const M got = decode_exact<M>(bytes, storage);
  expect_equal(got, m);
  CHECK(encode(got) == bytes);
}

}  // namespace

// --- round trips ------------------------------------------------------------

TEST_CASE("wire: round trip of admin messages") {
  SUBCASE("ApiVersions") {
    for (const auto& m : api_versions_requests()) round_trip(m);
    CHECK(encode(ApiVersionsRequest{}).empty());
    for (const auto& m : api_versions_responses()) round_trip(m);
  }
  SUBCASE("Metadata") {
    for (const auto& m : metadata_requests()) round_trip(m);
    for (const auto& m : metadata_responses()) round_trip(m);
  }
  SUBCASE("StatusResponse") {
    for (const auto& m : status_responses()) round_trip(m);
  }
  SUBCASE("CreateTopic") {
    for (const auto& m : create_topic_requests()) round_trip(m);
  }
  SUBCASE("TopicRequest") {
    for (const auto& m : topic_requests()) round_trip(m);
  }
  SUBCASE("DescribeConfigs") {
    for (const auto& m : describe_configs_responses()) round_trip(m);
  }
  SUBCASE("AlterConfigs") {
    for (const auto& m : alter_configs_requests()) round_trip(m);
  }
}

TEST_CASE("wire: DescribeRetention response round trip, and an unknown reason or a lying count is malformed") {
  DescribeRetentionResponse m;
  m.partitions.push_back({0, ErrorCode::none, 0, 0, std::numeric_limits<std::int64_t>::min(), 1,
                          RetentionReason::active_segment, -1, "active segment"});
  m.partitions.push_back({7, ErrorCode::none, std::numeric_limits<std::uint64_t>::max(), 1u << 30,
                          2'112'048'000'000, 9, RetentionReason::future_timestamp, 2'112'048'000'000, max_string()});
  m.partitions.push_back({8, ErrorCode::unknown_topic, 0, 0, 0, 0, RetentionReason::due, -1, ""});
  const Buffer bytes = encode(m);
  Buffer storage;
  const auto got = decode_exact<DescribeRetentionResponse>(bytes, storage);
  CHECK(got.error == m.error);
  CHECK(got.partitions == m.partitions);
  CHECK(encode(got) == bytes);

  DescribeRetentionResponse one;
  one.partitions.push_back({0, ErrorCode::none, 0, 0, 0, 1, RetentionReason::time, 5, "t"});
  Buffer bad = encode(one);
  bad[2 + 2 + 4 + 4 + 2 + 8 + 8 + 8 + 8] = kLastRetentionReason + 1;  // the reason byte
  ByteReader r{view(bad)};
  (void)DescribeRetentionResponse::decode(r);
  CHECK_FALSE(r.ok());
  Buffer lying = encode(one);
  lying[4] = 0xff;  // the partition count's low byte: 255 partitions in a few bytes
  ByteReader lr{view(lying)};
  (void)DescribeRetentionResponse::decode(lr);
  CHECK_FALSE(lr.ok());
}

TEST_CASE("wire: round trip of data messages") {
  SUBCASE("Produce") {
    for (const auto& m : produce_requests()) round_trip(m);
    for (const auto& m : produce_responses()) round_trip(m);
  }
  SUBCASE("Fetch") {
    for (const auto& m : fetch_requests()) round_trip(m);
    for (const auto& m : fetch_responses()) round_trip(m);
  }
  SUBCASE("ListOffsets") {
    for (const auto& m : list_offsets_requests()) round_trip(m);
    for (const auto& m : list_offsets_responses()) round_trip(m);
  }
}

TEST_CASE("wire: strings at the 65535-byte limit keep every byte") {
  const TopicRequest m{max_string()};
  const Buffer bytes = encode(m);
  REQUIRE(bytes.size() == 2 + kMaxString);
  CHECK(load_le<std::uint16_t>(bytes.data()) == kU16Max);
  Buffer storage;
  const TopicRequest got = decode_exact<TopicRequest>(bytes, storage);
  CHECK(got.name.size() == kMaxString);
  CHECK(got.name == max_string());
}

TEST_CASE("wire: status response byte layout is little-endian u16 error then u16 string") {
  const Buffer bytes = encode(StatusResponse{ErrorCode::frame_too_large, "ab"});
  CHECK(bytes == Buffer{16, 0, 2, 0, 'a', 'b'});
}

TEST_CASE("wire: produced batches are views into the frame buffer, writable through mutable_view") {
  const ProduceRequest m = produce_requests()[2];
  const Buffer bytes = encode(m);
  Buffer frame = bytes;  // the connection's buffer
  ByteReader r{view(frame)};
  const ProduceRequest got = ProduceRequest::decode(r);
  REQUIRE(r.ok());
  REQUIRE(r.remaining() == 0);
  expect_equal(got, m);

  const std::uint8_t* const lo = frame.data();
  const std::uint8_t* const hi = frame.data() + frame.size();
  const MutableBytes owner{frame.data(), frame.size()};
  std::size_t checked = 0;
  for (std::size_t t = 0; t < got.topics.size(); ++t) {
    for (std::size_t p = 0; p < got.topics[t].partitions.size(); ++p) {
      const Bytes batch = got.topics[t].partitions[p].batch;
      const Bytes want = m.topics[t].partitions[p].batch;
      CAPTURE(t);
      CAPTURE(p);
      // The view lies inside the frame, right after its u32 length.
      CHECK(batch.data() >= lo);
      CHECK(batch.data() + batch.size() <= hi);
      CHECK(batch.data() != want.data());  // not the encoder's storage
      const auto at = static_cast<std::size_t>(batch.data() - lo);
      REQUIRE(at >= 4);
      CHECK(load_le<std::uint32_t>(frame.data() + at - 4) == batch.size());
      CHECK(same_bytes(batch, want));

      const MutableBytes mv = mutable_view(owner, batch);
      CHECK(mv.data() == frame.data() + at);
      CHECK(mv.size() == batch.size());
      CHECK(same_bytes(Bytes{mv.data(), mv.size()}, batch));
      if (!mv.empty()) {
        // Writing through the mutable view changes the frame and the decoded view.
        const std::uint8_t before = mv[0];
        mv[0] = static_cast<std::uint8_t>(before ^ 0xFF);
        CHECK(frame[at] == static_cast<std::uint8_t>(before ^ 0xFF));
        CHECK(batch[0] == static_cast<std::uint8_t>(before ^ 0xFF));
        mv[0] = before;
      }
      ++checked;
    }
  }
  CHECK(checked == 5);
  CHECK(frame == bytes);

  // The whole frame as owner view of itself.
  const MutableBytes whole = mutable_view(owner, view(frame));
  CHECK(whole.data() == frame.data());
  CHECK(whole.size() == frame.size());
}

TEST_CASE("wire: fetch response puts u32 length then raw records after each partition header") {
  const Buffer records = pattern(37, 5);
  FetchPartitionHeader h;
  h.partition = 0x01020304;
  h.error = ErrorCode::offset_out_of_range;
  h.log_start = 0x1112131415161718ull;
  h.log_end = kU64Max;

  SUBCASE("FetchPartitionHeader::encode writes the fixed fields then records_length") {
    ByteWriter w;
    h.encode(w, 0xA1B2C3D4u);
    const Buffer got = w.take();
    const Buffer want = {0x04, 0x03, 0x02, 0x01,                          // partition
                         0x03, 0x00,                                      // error
                         0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11,  // log_start
                         0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  // log_end
                         0xD4, 0xC3, 0xB2, 0xA1};                         // records_length
    CHECK(got == want);
  }

  SUBCASE("FetchResponse::encode equals header encode + records, as the sendfile path writes it") {
    FetchResponse m;
    m.topics = {FetchTopicResult{"ab", {{h, view(records)}, {FetchPartitionHeader{}, Bytes{}}}}};
    const Buffer got = encode(m);

    // What a broker writing the header and then sendfile-ing the records produces.
    ByteWriter w;
    w.fixed<std::uint32_t>(1);  // topic count
    w.string("ab");
    w.fixed<std::uint32_t>(2);  // partition count
    h.encode(w, static_cast<std::uint32_t>(records.size()));
    w.raw(view(records));
    FetchPartitionHeader{}.encode(w, 0);
    CHECK(got == w.take());

    // And spelled out byte by byte.
    Buffer want = {1, 0, 0, 0, 2, 0, 'a', 'b', 2, 0, 0, 0};
    const Buffer header = {0x04, 0x03, 0x02, 0x01, 0x03, 0x00, 0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12,
                           0x11, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 37,   0,    0,    0};
    want.insert(want.end(), header.begin(), header.end());
    want.insert(want.end(), records.begin(), records.end());
    want.insert(want.end(), 26, 0);  // default header, records_length 0, no records
    CHECK(got == want);

    Buffer storage;
    const FetchResponse back = decode_exact<FetchResponse>(got, storage);
    expect_equal(back, m);
    REQUIRE(back.topics.size() == 1);
    REQUIRE(back.topics[0].partitions.size() == 2);
    // The decoded records are a view into the buffer right after the header.
    CHECK(back.topics[0].partitions[0].records.data() == storage.data() + 12 + 26);
    CHECK(back.topics[0].partitions[1].records.empty());
  }
}

}  // namespace strata::test::wire
