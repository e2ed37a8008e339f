// Compressed batches: each codec round trips through BatchBuilder, the
// validator (which decompresses as a stream) and batch_records; each writes
// the framing Kafka's clients read; snappy is also read raw (librdkafka) and
// gzip as several members; a decompression bomb is refused by the bound, not
// by running out of memory; damaged compressed bytes are refused by name.
#include <doctest/doctest.h>
#include <snappy.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "protocol/compression.h"
#include "record_batch_test_util.h"

namespace strata::test::batch {
namespace {

using protocol::Compression;

constexpr std::array<Compression, 4> kCodecs{Compression::gzip, Compression::snappy, Compression::lz4,
                                             Compression::zstd};

std::string json_like(int i) {
  return R"({"user":"user-)" + std::to_string(i % 50) + R"(","event":"page_view","path":"/products/)" +
         std::to_string(i % 7) + R"(","ok":true})";
}

Buffer compressed_batch(Compression codec, int records) {
  protocol::BatchBuilder builder(codec);
  for (int i = 0; i < records; ++i) {
    const std::string v = json_like(i);
    builder.add(1000 + i, bytes_of("key-" + std::to_string(i % 3)), bytes_of(v));
  }
  return builder.finish();
}

// Every record of a (compressed) batch, through batch_records.
std::vector<std::string> values_of(const Buffer& b) {
  const BatchHeader h = validated(b);
  std::vector<std::uint8_t> scratch;
  auto plain = protocol::batch_records(view(b), h, scratch);
  REQUIRE(plain.has_value());
  auto reader = RecordReader::over_records(plain.value(), h);
  std::vector<std::string> out;
  Record r;
  while (reader.next(r)) {
    CHECK(r.offset == out.size());
    out.push_back(str(*r.value));
  }
  REQUIRE_FALSE(reader.error());
  return out;
}

// A batch whose records section is `records`, with the codec bits set.
Buffer batch_around(const Buffer& plain_batch, Compression codec, const Buffer& records) {
  Buffer b(plain_batch.begin(), plain_batch.begin() + static_cast<std::ptrdiff_t>(layout::kHeaderSize));
  put_field<std::uint16_t>(b, layout::kAttributes, static_cast<std::uint16_t>(codec));
  b.insert(b.end(), records.begin(), records.end());
  reseal(b);
  return b;
}

Buffer records_of(const Buffer& plain_batch) {
  return Buffer(plain_batch.begin() + static_cast<std::ptrdiff_t>(layout::kHeaderSize), plain_batch.end());
}

}  // namespace

TEST_CASE("compression: every codec round trips and shrinks repetitive text") {
  const Buffer plain = compressed_batch(Compression::none, 500);
  for (const Compression codec : kCodecs) {
    CAPTURE(protocol::compression_name(codec));
    const Buffer b = compressed_batch(codec, 500);
    const BatchHeader h = validated(b);
    CHECK(h.compression() == codec);
    CHECK(h.record_count == 500);
    CHECK(b.size() * 3 < plain.size());
    const auto values = values_of(b);
    REQUIRE(values.size() == 500);
    for (int i = 0; i < 500; i += 97) CHECK(values[static_cast<std::size_t>(i)] == json_like(i));
    // The producer's rules hold for a compressed batch too.
    Buffer copy = b;
    CHECK(protocol::validate_for_append(protocol::MutableBytes{copy.data(), copy.size()}, kLimit).has_value());
  }
}

TEST_CASE("compression: each codec writes the framing Kafka clients read") {
  const auto starts_with = [](const Buffer& b, std::initializer_list<std::uint8_t> magic) {
    return b.size() >= layout::kHeaderSize + magic.size() &&
           std::equal(magic.begin(), magic.end(), b.begin() + static_cast<std::ptrdiff_t>(layout::kHeaderSize));
  };
  CHECK(starts_with(compressed_batch(Compression::gzip, 3), {0x1f, 0x8b}));              // RFC 1952
  CHECK(starts_with(compressed_batch(Compression::lz4, 3), {0x04, 0x22, 0x4d, 0x18}));   // LZ4 frame
  CHECK(starts_with(compressed_batch(Compression::zstd, 3), {0x28, 0xb5, 0x2f, 0xfd}));  // zstd frame
  CHECK(starts_with(compressed_batch(Compression::snappy, 3), {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0}));  // xerial
}

TEST_CASE("compression: raw snappy blocks (librdkafka) and multi-member gzip are read") {
  const Buffer plain = compressed_batch(Compression::none, 40);
  const Buffer records = records_of(plain);
  SUBCASE("raw snappy") {
    std::string raw;
    snappy::Compress(reinterpret_cast<const char*>(records.data()), records.size(), &raw);
    const Buffer b = batch_around(plain, Compression::snappy, Buffer(raw.begin(), raw.end()));
    CHECK(values_of(b).size() == 40);
  }
  SUBCASE("two gzip members") {
    const std::size_t half = records.size() / 2;
    Buffer z;
    protocol::compress(Compression::gzip, Bytes{records.data(), half}, z);
    protocol::compress(Compression::gzip, Bytes{records.data() + half, records.size() - half}, z);
    const Buffer b = batch_around(plain, Compression::gzip, z);
    CHECK(values_of(b).size() == 40);
  }
}

TEST_CASE("compression: a decompression bomb is CORRUPT by the bound, for the broker and the consumer") {
  // One record of 129 MiB of zeros: compresses to a few hundred KiB.
  protocol::BatchBuilder probe;
  const Buffer zeros(protocol::kMaxDecompressedBytes + (1u << 20), 0);
  probe.add(1, std::nullopt, view(zeros));
  const Buffer plain = probe.finish();
  for (const Compression codec : {Compression::zstd, Compression::lz4}) {
    CAPTURE(protocol::compression_name(codec));
    Buffer z;
    protocol::compress(codec, Bytes{plain}.subspan(layout::kHeaderSize), z);
    REQUIRE(z.size() < (4u << 20));
    const Buffer b = batch_around(plain, codec, z);
    CHECK(rejection(b, 16u << 20) == BatchErrc::decompressed_too_large);
    std::vector<std::uint8_t> scratch;
    CHECK(protocol::decompress_all(codec, Bytes{z}, scratch) == BatchErrc::decompressed_too_large);
    CHECK(scratch.size() <= protocol::kMaxDecompressedBytes + 1);
  }
}

TEST_CASE("compression: damaged compressed bytes are refused by name, never a crash") {
  const Buffer plain = compressed_batch(Compression::none, 20);
  for (const Compression codec : kCodecs) {
    CAPTURE(protocol::compression_name(codec));
    const Buffer good = compressed_batch(codec, 20);
    // Garbage under the codec bits.
    CHECK(rejection(batch_around(plain, codec, Buffer(64, 0xa5))) == BatchErrc::decompression_failed);
    // Cut short: the codec notices, or the records run out.
    Buffer cut = records_of(good);
    cut.resize(cut.size() * 2 / 3);
    const auto got = static_cast<BatchErrc>(rejection(batch_around(plain, codec, cut)).value());
    CHECK((got == BatchErrc::decompression_failed || got == BatchErrc::malformed_record ||
           got == BatchErrc::record_count_mismatch));
    // More records inside than the header's offset range holds.
    Buffer fewer = good;
    put_field<std::int32_t>(fewer, layout::kRecordCount, 19);
    put_field<std::int32_t>(fewer, layout::kLastOffsetDelta, 18);
    fix_checksum(fewer);
    CHECK(rejection(fewer) == BatchErrc::offset_delta_mismatch);
    CHECK(append_rejection(fewer) == BatchErrc::record_count_mismatch);
  }
}

TEST_CASE("compression: names parse both ways") {
  for (const Compression codec : {Compression::none, Compression::gzip, Compression::snappy, Compression::lz4,
                                  Compression::zstd}) {
    CHECK(protocol::parse_compression(protocol::compression_name(codec)) == codec);
  }
  CHECK_FALSE(protocol::parse_compression("brotli").has_value());
}

}  // namespace strata::test::batch
