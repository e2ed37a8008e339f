// CRC-32C against published vectors (RFC 3720, appendix B.4, and the
// "123456789" check value), for the hardware and the portable code alike,
// and chaining: crc(a + b) == crc(b, crc(a)).
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <numeric>
#include <string_view>
#include <vector>

#include "protocol/crc32c.h"

namespace strata::test {
namespace {

using protocol::Bytes;

struct Vector {
  const char* what;
  std::vector<std::uint8_t> data;
  std::uint32_t crc;
};

std::vector<Vector> rfc3720_vectors() {
  std::vector<std::uint8_t> ascending(32);
  std::iota(ascending.begin(), ascending.end(), std::uint8_t{0});
  std::vector<std::uint8_t> descending(ascending.rbegin(), ascending.rend());
  const std::string_view check = "123456789";
  return {
      {"32 bytes of zeros", std::vector<std::uint8_t>(32, 0x00), 0x8A9136AA},
      {"32 bytes of 0xff", std::vector<std::uint8_t>(32, 0xff), 0x62A8AB43},
      {"32 ascending bytes", ascending, 0x46DD794E},
      {"32 descending bytes", descending, 0x113FDB5C},
      {"123456789", std::vector<std::uint8_t>(check.begin(), check.end()), 0xE3069283},
      {"empty", {}, 0x00000000},
  };
}

}  // namespace

TEST_CASE("crc32c: RFC 3720 vectors, portable and hardware") {
  for (const auto& v : rfc3720_vectors()) {
    CAPTURE(v.what);
    CHECK(protocol::crc32c_portable(Bytes{v.data}) == v.crc);
    CHECK(protocol::crc32c_hardware(Bytes{v.data}) == v.crc);
    CHECK(protocol::crc32c(Bytes{v.data}) == v.crc);
  }
}

TEST_CASE("crc32c: chaining over any split, every length 0..70, both implementations agree") {
  std::vector<std::uint8_t> data(70);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 37 + 11);
  for (std::size_t len = 0; len <= data.size(); ++len) {
    const Bytes all{data.data(), len};
    const std::uint32_t whole = protocol::crc32c_portable(all);
    CHECK(protocol::crc32c_hardware(all) == whole);
    for (std::size_t cut = 0; cut <= len; cut += 7) {
      CAPTURE(len);
      CAPTURE(cut);
      CHECK(protocol::crc32c(all.subspan(cut), protocol::crc32c(all.first(cut))) == whole);
    }
  }
}

}  // namespace strata::test
