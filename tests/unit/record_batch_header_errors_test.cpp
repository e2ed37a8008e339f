// One hand-corrupted batch per BatchErrc value that validate_batch finds in
// the framing and header: truncated, invalid_length, too_large,
// unsupported_version, unsupported_attributes, unsupported_transactional,
// unsupported_compression, record_count_mismatch, checksum_mismatch; and
// the batch error category itself.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <ostream>  // doctest prints std::error_code through operator<<
#include <string>
#include <system_error>

#include "protocol/batch_validator.h"
#include "record_batch_test_util.h"

namespace strata::test::batch {

TEST_CASE("batch error codes have their own category and messages") {
  const std::error_code ec = BatchErrc::checksum_mismatch;
  CHECK(ec.category().name() == std::string("strata.batch"));
  CHECK(ec == BatchErrc::checksum_mismatch);
  CHECK(ec != BatchErrc::truncated);
  for (int e = static_cast<int>(BatchErrc::truncated); e <= static_cast<int>(BatchErrc::offset_overflow); ++e) {
    CAPTURE(e);
    const std::string msg = protocol::batch_category().message(e);
    CHECK_FALSE(msg.empty());
    CHECK(msg != "unknown record batch error");
  }
}

// Found by fuzz_record_batch (its input is kept as a seed): a stored batch
// whose baseOffset + lastOffsetDelta wrapped past 2^64 was accepted, and
// its records' offsets then lay past its own last offset.
TEST_CASE("validate_batch: offset_overflow, for stored batches only") {
  Buffer b = builder_batch();  // three records: lastOffsetDelta 2
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  put_field<std::uint64_t>(b, layout::kBaseOffset, max - 1);  // the last offset wraps to 0
  CHECK(rejection(b) == BatchErrc::offset_overflow);
  CHECK(protocol::verify_batch(view(b), kLimit).error() == BatchErrc::offset_overflow);
  put_field<std::uint64_t>(b, layout::kBaseOffset, max - 2);  // last offset exactly max
  CHECK(validated(b).last_offset() == max);
  // A producer's baseOffset is the broker's to overwrite: not refused.
  put_field<std::uint64_t>(b, layout::kBaseOffset, ~0ULL);
  CHECK(protocol::validate_for_append(protocol::MutableBytes(b), kLimit).has_value());
}

TEST_CASE("validate_batch: truncated") {
  const Buffer good = builder_batch();
  SUBCASE("empty input") { CHECK(rejection(Buffer{}) == BatchErrc::truncated); }
  SUBCASE("shorter than the framing") {
    CHECK(rejection(Buffer(good.begin(), good.begin() + 11)) == BatchErrc::truncated);
  }
  SUBCASE("framing present but header incomplete") {
    CHECK(rejection(Buffer(good.begin(), good.begin() + 12)) == BatchErrc::truncated);
    CHECK(rejection(Buffer(good.begin(), good.begin() + 60)) == BatchErrc::truncated);
  }
  SUBCASE("header complete, records shorter than the declared length") {
    CHECK(rejection(Buffer(good.begin(), good.begin() + 61)) == BatchErrc::truncated);
    CHECK(rejection(Buffer(good.begin(), good.end() - 1)) == BatchErrc::truncated);
  }
  SUBCASE("decode_header alone on a short buffer") {
    const auto r = protocol::decode_header(Bytes{good.data(), layout::kHeaderSize - 1});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == BatchErrc::truncated);
  }
  SUBCASE("RecordReader over fewer bytes than the header declares") {
    const auto h = protocol::decode_header(view(good));
    REQUIRE(h.has_value());
    RecordReader reader(Bytes{good.data(), good.size() - 1}, h.value());
    Record rec;
    CHECK_FALSE(reader.next(rec));
    CHECK(reader.error() == BatchErrc::truncated);
  }
}

TEST_CASE("validate_batch: invalid_length") {
  Buffer b = builder_batch();
  SUBCASE("batch_length below the header size") {
    put_field<std::uint32_t>(b, layout::kBatchLength,
                             static_cast<std::uint32_t>(layout::kHeaderSize - layout::kFramingSize - 1));
    CHECK(rejection(b) == BatchErrc::invalid_length);
  }
  SUBCASE("batch_length zero") {
    put_field<std::uint32_t>(b, layout::kBatchLength, 0);
    CHECK(rejection(b) == BatchErrc::invalid_length);
  }
  SUBCASE("more bytes given than declared") {
    b.push_back(0);
    CHECK(rejection(b) == BatchErrc::invalid_length);
  }
  SUBCASE("two valid batches back to back are not one batch") {
    const Buffer second = builder_batch();
    b.insert(b.end(), second.begin(), second.end());
    CHECK(rejection(b) == BatchErrc::invalid_length);
  }
  SUBCASE("batch_length exactly the header size is a valid length (but no records)") {
    Buffer hdr(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(layout::kHeaderSize));
    reseal(hdr);
    // Not invalid_length: the length is consistent; the count (3) is what is wrong.
    CHECK(rejection(hdr) == BatchErrc::record_count_mismatch);
  }
}

TEST_CASE("validate_batch: too_large") {
  const Buffer good = builder_batch();
  SUBCASE("declared size over max_batch_bytes") {
    CHECK(rejection(good, good.size() - 1) == BatchErrc::too_large);
    CHECK(protocol::validate_batch(view(good), good.size()).has_value());
  }
  SUBCASE("detected from the first 12 bytes even if the rest is missing") {
    Buffer b(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(layout::kFramingSize));
    put_field<std::uint32_t>(b, layout::kBatchLength, 0x7fffffffU);
    CHECK(rejection(b, kLimit) == BatchErrc::too_large);
    // With the header present but the records missing, still too_large.
    Buffer c(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(layout::kHeaderSize));
    put_field<std::uint32_t>(c, layout::kBatchLength, 0x7fffffffU);
    CHECK(rejection(c, kLimit) == BatchErrc::too_large);
  }
  SUBCASE("the format limit applies even when the caller allows more") {
    Buffer b(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(layout::kFramingSize));
    put_field<std::uint32_t>(b, layout::kBatchLength, 0xffffffffU);
    CHECK(rejection(b, std::numeric_limits<std::size_t>::max()) == BatchErrc::too_large);
    put_field<std::uint32_t>(b, layout::kBatchLength,
                             static_cast<std::uint32_t>(protocol::kMaxBatchBytes - layout::kFramingSize + 1));
    CHECK(rejection(b, std::numeric_limits<std::size_t>::max()) == BatchErrc::too_large);
    // Exactly at the limit it is not too large: just truncated.
    put_field<std::uint32_t>(b, layout::kBatchLength,
                             static_cast<std::uint32_t>(protocol::kMaxBatchBytes - layout::kFramingSize));
    CHECK(rejection(b, std::numeric_limits<std::size_t>::max()) == BatchErrc::truncated);
  }
}

TEST_CASE("validate_batch: unsupported_version") {
  for (const std::uint8_t magic : {std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{3}, std::uint8_t{0xff}}) {
    CAPTURE(static_cast<int>(magic));
    Buffer b = builder_batch();
    b[layout::kMagic] = magic;
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::unsupported_version);
    // Also without fixing the checksum: the version is checked first.
    Buffer c = builder_batch();
    c[layout::kMagic] = magic;
    CHECK(rejection(c) == BatchErrc::unsupported_version);
  }
}

TEST_CASE("validate_batch: unsupported_attributes") {
  Buffer b = builder_batch();
  SUBCASE("delete-horizon bit (6)") { put_field<std::uint16_t>(b, layout::kAttributes, 0x0040); }
  SUBCASE("bit 7") { put_field<std::uint16_t>(b, layout::kAttributes, 0x0080); }
  SUBCASE("highest attribute bit") { put_field<std::uint16_t>(b, layout::kAttributes, 0x8000); }
  fix_checksum(b);
  CHECK(rejection(b) == BatchErrc::unsupported_attributes);
}

TEST_CASE("validate_batch: transactional and control batches are refused by name") {
  Buffer b = builder_batch();
  SUBCASE("transactional (bit 4)") { put_field<std::uint16_t>(b, layout::kAttributes, 0x0010); }
  SUBCASE("control (bit 5)") { put_field<std::uint16_t>(b, layout::kAttributes, 0x0020); }
  fix_checksum(b);
  CHECK(rejection(b) == BatchErrc::unsupported_transactional);
}

TEST_CASE("validate_batch: codec bits 5-7 name no codec") {
  for (const int codec : {5, 6, 7}) {
    CAPTURE(codec);
    Buffer b = builder_batch();
    put_field<std::uint16_t>(b, layout::kAttributes, static_cast<std::uint16_t>(codec));
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::unsupported_compression);
  }
}

TEST_CASE("validate_batch: record count and lastOffsetDelta") {
  Buffer b = builder_batch();  // 3 records, lastOffsetDelta 2
  SUBCASE("negative record count") {
    put_field<std::int32_t>(b, layout::kRecordCount, -1);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::record_count_mismatch);
  }
  SUBCASE("more records than the offset range holds") {
    put_field<std::int32_t>(b, layout::kLastOffsetDelta, 1);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::record_count_mismatch);
  }
  SUBCASE("a stored batch may span more offsets than records (compaction), not a produced one") {
    put_field<std::int32_t>(b, layout::kLastOffsetDelta, 7);
    fix_checksum(b);
    const BatchHeader h = validated(b);
    CHECK(h.record_count == 3);
    CHECK(h.next_offset() == 8);
    auto produced = protocol::validate_for_append(protocol::MutableBytes{b.data(), b.size()}, kLimit);
    REQUIRE_FALSE(produced.has_value());
    CHECK(produced.error() == BatchErrc::last_offset_delta_mismatch);
  }
}

TEST_CASE("validate_batch: checksum_mismatch") {
  Buffer b = builder_batch();
  SUBCASE("bit flipped in the last record byte") { b[b.size() - 1] ^= 0x01; }
  SUBCASE("bit flipped in the first record byte") { b[layout::kHeaderSize] ^= 0x40; }
  SUBCASE("bit flipped in the base timestamp") { b[layout::kBaseTimestamp] ^= 0x01; }
  SUBCASE("bit flipped in the producer epoch") { b[layout::kProducerEpoch] ^= 0x01; }
  SUBCASE("bit flipped in the record count") { b[layout::kRecordCount + 3] ^= 0x01; }
  SUBCASE("bit flipped in the stored CRC") { b[layout::kCrc + 3] ^= 0x80; }
  CHECK(rejection(b) == BatchErrc::checksum_mismatch);
}

}  // namespace strata::test::batch
