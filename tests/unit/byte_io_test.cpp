// Tests for protocol/byte_io.h: fixed-width and varint coding, and the
// failure behaviour of ByteReader on hostile or truncated input.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "protocol/byte_io.h"

namespace {

using namespace strata::protocol;

constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();
constexpr std::int64_t kI64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kI64Max = std::numeric_limits<std::int64_t>::max();

const std::vector<std::uint64_t>& unsigned_cases() {
  static const std::vector<std::uint64_t> v = {
      0,
      1,
      127,
      128,
      255,
      256,
      16383,
      16384,
      (std::uint64_t{1} << 21) - 1,
      std::uint64_t{1} << 21,
      (std::uint64_t{1} << 56) - 1,
      std::uint64_t{1} << 56,
      (std::uint64_t{1} << 63) - 1,
      std::uint64_t{1} << 63,
      kU64Max - 1,
      kU64Max,
  };
  return v;
}

const std::vector<std::int64_t>& signed_cases() {
  static const std::vector<std::int64_t> v = {
      0, 1, -1, 63, -64, 64, -65, 127, 128, -128, -129, kI64Min, kI64Min + 1, kI64Max, kI64Max - 1,
  };
  return v;
}

}  // namespace

TEST_CASE("zigzag maps small magnitudes to small codes") {
  CHECK(zigzag_encode(0) == 0);
  CHECK(zigzag_encode(-1) == 1);
  CHECK(zigzag_encode(1) == 2);
  CHECK(zigzag_encode(-2) == 3);
  CHECK(zigzag_encode(kI64Max) == kU64Max - 1);
  CHECK(zigzag_encode(kI64Min) == kU64Max);
  for (const std::int64_t v : signed_cases()) {
    CAPTURE(v);
    CHECK(zigzag_decode(zigzag_encode(v)) == v);
  }
}

TEST_CASE("uvarint round trips at boundaries and size agrees with bytes written") {
  for (const std::uint64_t v : unsigned_cases()) {
    CAPTURE(v);
    std::array<std::uint8_t, kMaxVarintBytes + 4> buf{};
    buf.fill(0xAA);
    std::uint8_t* end = put_uvarint(buf.data(), v);
    const auto written = static_cast<std::size_t>(end - buf.data());
    CHECK(written == uvarint_size(v));
    CHECK(written <= kMaxVarintBytes);
    // Nothing is written past the returned pointer.
    for (std::size_t i = written; i < buf.size(); ++i) CHECK(buf[i] == 0xAA);

    ByteReader r(Bytes{buf.data(), written});
    CHECK(r.uvarint() == v);
    CHECK(r.ok());
    CHECK(r.remaining() == 0);
  }
}

TEST_CASE("uvarint encodings of specific values") {
  std::array<std::uint8_t, kMaxVarintBytes> buf{};
  SUBCASE("0") {
    CHECK(put_uvarint(buf.data(), 0) - buf.data() == 1);
    CHECK(buf[0] == 0x00);
  }
  SUBCASE("127") {
    CHECK(put_uvarint(buf.data(), 127) - buf.data() == 1);
    CHECK(buf[0] == 0x7f);
  }
  SUBCASE("128") {
    CHECK(put_uvarint(buf.data(), 128) - buf.data() == 2);
    CHECK(buf[0] == 0x80);
    CHECK(buf[1] == 0x01);
  }
  SUBCASE("2^63 needs ten bytes, the last being 1") {
    CHECK(put_uvarint(buf.data(), std::uint64_t{1} << 63) - buf.data() == 10);
    for (std::size_t i = 0; i < 9; ++i) CHECK(buf[i] == 0x80);
    CHECK(buf[9] == 0x01);
  }
  SUBCASE("UINT64_MAX") {
    CHECK(put_uvarint(buf.data(), kU64Max) - buf.data() == 10);
    for (std::size_t i = 0; i < 9; ++i) CHECK(buf[i] == 0xff);
    CHECK(buf[9] == 0x01);
  }
  CHECK(uvarint_size(0) == 1);
  CHECK(uvarint_size(127) == 1);
  CHECK(uvarint_size(128) == 2);
  CHECK(uvarint_size(std::uint64_t{1} << 63) == 10);
  CHECK(uvarint_size(kU64Max) == 10);
}

TEST_CASE("varint round trips at boundaries and size agrees with bytes written") {
  for (const std::int64_t v : signed_cases()) {
    CAPTURE(v);
    std::array<std::uint8_t, kMaxVarintBytes> buf{};
    std::uint8_t* end = put_varint(buf.data(), v);
    const auto written = static_cast<std::size_t>(end - buf.data());
    CHECK(written == varint_size(v));
    ByteReader r(Bytes{buf.data(), written});
    CHECK(r.varint() == v);
    CHECK(r.ok());
    CHECK(r.remaining() == 0);
  }
  CHECK(varint_size(0) == 1);
  CHECK(varint_size(-1) == 1);
  CHECK(varint_size(-64) == 1);
  CHECK(varint_size(64) == 2);
  CHECK(varint_size(kI64Min) == 10);
  CHECK(varint_size(kI64Max) == 10);
}

TEST_CASE("a sequence of mixed values decodes in order") {
  std::vector<std::uint8_t> buf(256);
  std::uint8_t* p = buf.data();
  p = put_uvarint(p, 300);
  p = put_varint(p, -2);
  store_le<std::uint32_t>(p, 0xdeadbeefU);
  p += 4;
  p = put_varint(p, kI64Min);
  p = put_uvarint(p, kU64Max);
  *p++ = 0x42;
  const auto n = static_cast<std::size_t>(p - buf.data());

  ByteReader r(Bytes{buf.data(), n});
  CHECK(r.uvarint() == 300);
  CHECK(r.varint() == -2);
  CHECK(r.fixed<std::uint32_t>() == 0xdeadbeefU);
  CHECK(r.varint() == kI64Min);
  CHECK(r.uvarint() == kU64Max);
  const Bytes tail = r.bytes(1);
  REQUIRE(tail.size() == 1);
  CHECK(tail[0] == 0x42);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
}

TEST_CASE("load_le and store_le are little-endian") {
  std::array<std::uint8_t, 8> buf{};
  store_le<std::uint32_t>(buf.data(), 0x04030201U);
  CHECK(buf[0] == 1);
  CHECK(buf[1] == 2);
  CHECK(buf[2] == 3);
  CHECK(buf[3] == 4);
  CHECK(load_le<std::uint32_t>(buf.data()) == 0x04030201U);
  store_le<std::int64_t>(buf.data(), -2);
  CHECK(buf[0] == 0xfe);
  for (std::size_t i = 1; i < 8; ++i) CHECK(buf[i] == 0xff);
  CHECK(load_le<std::int64_t>(buf.data()) == -2);
}

TEST_CASE("ByteReader fails on every truncation of a varint") {
  SUBCASE("every proper prefix of every boundary encoding") {
    for (const std::uint64_t v : unsigned_cases()) {
      std::array<std::uint8_t, kMaxVarintBytes> buf{};
      const auto n = static_cast<std::size_t>(put_uvarint(buf.data(), v) - buf.data());
      for (std::size_t len = 0; len < n; ++len) {
        CAPTURE(v);
        CAPTURE(len);
        ByteReader r(Bytes{buf.data(), len});
        CHECK(r.uvarint() == 0);
        CHECK_FALSE(r.ok());
        CHECK(r.remaining() == 0);
      }
    }
  }
  SUBCASE("empty input") {
    ByteReader r(Bytes{});
    CHECK(r.uvarint() == 0);
    CHECK_FALSE(r.ok());
  }
  SUBCASE("signed varint truncated") {
    const std::array<std::uint8_t, 2> buf{0xff, 0xff};
    ByteReader r(Bytes{buf});
    CHECK(r.varint() == 0);
    CHECK_FALSE(r.ok());
  }
}

TEST_CASE("ByteReader rejects over-long and overflowing varints") {
  SUBCASE("11-byte varint") {
    std::array<std::uint8_t, 11> buf{};
    buf.fill(0x80);
    buf[10] = 0x00;
    ByteReader r(Bytes{buf});
    CHECK(r.uvarint() == 0);
    CHECK_FALSE(r.ok());
  }
  SUBCASE("11-byte varint encoding a small value (non-minimal padding)") {
    // 0x81 0x80 ... 0x80 0x00: value 1 padded to 11 bytes.
    std::array<std::uint8_t, 11> buf{};
    buf.fill(0x80);
    buf[0] = 0x81;
    buf[10] = 0x00;
    ByteReader r(Bytes{buf});
    CHECK(r.uvarint() == 0);
    CHECK_FALSE(r.ok());
  }
  SUBCASE("a long run of continuation bytes") {
    std::vector<std::uint8_t> buf(64, 0xff);
    ByteReader r(Bytes{buf});
    CHECK(r.uvarint() == 0);
    CHECK_FALSE(r.ok());
    CHECK(r.remaining() == 0);
  }
  SUBCASE("10th byte greater than 1") {
    for (unsigned tenth = 2; tenth <= 0xff; ++tenth) {
      CAPTURE(tenth);
      std::array<std::uint8_t, 12> buf{};
      buf.fill(0xff);
      buf[9] = static_cast<std::uint8_t>(tenth);
      buf[10] = 0x00;
      buf[11] = 0x00;
      ByteReader r(Bytes{buf});
      CHECK(r.uvarint() == 0);
      CHECK_FALSE(r.ok());
      CHECK(r.remaining() == 0);
    }
  }
  SUBCASE("10th byte of 0 or 1 is accepted") {
    std::array<std::uint8_t, 10> buf{};
    buf.fill(0x80);
    buf[9] = 0x01;
    {
      ByteReader r(Bytes{buf});
      CHECK(r.uvarint() == (std::uint64_t{1} << 63));
      CHECK(r.ok());
    }
    buf[9] = 0x00;  // non-minimal encoding of 0, but representable
    {
      ByteReader r(Bytes{buf});
      CHECK(r.uvarint() == 0);
      CHECK(r.ok());
      CHECK(r.remaining() == 0);
    }
  }
  SUBCASE("signed varint with bad 10th byte") {
    std::array<std::uint8_t, 10> buf{};
    buf.fill(0xff);
    buf[9] = 0x02;
    ByteReader r(Bytes{buf});
    CHECK(r.varint() == 0);
    CHECK_FALSE(r.ok());
  }
}

TEST_CASE("ByteReader bytes(n) and fixed<T> respect the end") {
  const std::array<std::uint8_t, 5> buf{1, 2, 3, 4, 5};
  SUBCASE("bytes exactly to the end") {
    ByteReader r(Bytes{buf});
    const Bytes b = r.bytes(5);
    CHECK(b.size() == 5);
    CHECK(b.data() == buf.data());
    CHECK(r.ok());
    CHECK(r.remaining() == 0);
    const Bytes none = r.bytes(0);
    CHECK(none.empty());
    CHECK(r.ok());
  }
  SUBCASE("bytes past the end") {
    ByteReader r(Bytes{buf});
    (void)r.bytes(2);
    const Bytes b = r.bytes(4);
    CHECK(b.empty());
    CHECK_FALSE(r.ok());
    CHECK(r.remaining() == 0);
  }
  SUBCASE("bytes with a huge n does not overflow the bound check") {
    ByteReader r(Bytes{buf});
    (void)r.bytes(1);
    const Bytes b = r.bytes(std::numeric_limits<std::size_t>::max());
    CHECK(b.empty());
    CHECK_FALSE(r.ok());
  }
  SUBCASE("fixed past the end") {
    ByteReader r(Bytes{buf});
    CHECK(r.fixed<std::uint32_t>() == 0x04030201U);
    CHECK(r.fixed<std::uint16_t>() == 0);
    CHECK_FALSE(r.ok());
  }
  SUBCASE("fixed on empty input") {
    ByteReader r(Bytes{});
    CHECK(r.fixed<std::uint8_t>() == 0);
    CHECK_FALSE(r.ok());
  }
}

TEST_CASE("once failed, ByteReader stays failed and returns zeros") {
  // Plenty of valid data after the failure point: none of it may be read.
  std::vector<std::uint8_t> buf(64, 0x01);
  ByteReader r(Bytes{buf});
  CHECK(r.uvarint() == 1);
  CHECK(r.ok());
  const Bytes big = r.bytes(1000);
  CHECK(big.empty());
  CHECK_FALSE(r.ok());
  CHECK(r.remaining() == 0);

  CHECK(r.uvarint() == 0);
  CHECK(r.varint() == 0);
  CHECK(r.fixed<std::uint64_t>() == 0);
  CHECK(r.fixed<std::uint8_t>() == 0);
  CHECK(r.bytes(0).empty());
  CHECK(r.bytes(1).empty());
  CHECK_FALSE(r.ok());
  CHECK(r.remaining() == 0);
}

TEST_CASE("bytes(0) after a failure still reports failure") {
  const std::array<std::uint8_t, 1> buf{0x80};
  ByteReader r(Bytes{buf});
  CHECK(r.uvarint() == 0);
  CHECK_FALSE(r.ok());
  (void)r.bytes(0);
  CHECK_FALSE(r.ok());
}
