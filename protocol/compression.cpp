#include "protocol/compression.h"

#include <array>
#include <cassert>

#include "protocol/batch_errc.h"
#include "protocol/codec/codecs.h"

namespace strata::protocol {

namespace {
constexpr std::array<std::string_view, 5> kNames{"none", "gzip", "snappy", "lz4", "zstd"};
}

std::string_view compression_name(Compression c) noexcept {
  const auto i = static_cast<std::size_t>(c);
  return i < kNames.size() ? kNames[i] : "unknown";
}

std::optional<Compression> parse_compression(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Compression>(i);
  }
  return std::nullopt;
}

void compress(Compression codec, Bytes data, std::vector<std::uint8_t>& out) {
  switch (codec) {
    case Compression::gzip: return codec::gzip_compress(data, out);
    case Compression::snappy: return codec::snappy_compress(data, out);
    case Compression::lz4: return codec::lz4_compress(data, out);
    case Compression::zstd: return codec::zstd_compress(data, out);
    case Compression::none: break;
  }
  assert(false && "compress: codec none");
}

std::unique_ptr<Decompressor> make_decompressor(Compression codec, Bytes compressed) {
  switch (codec) {
    case Compression::gzip: return codec::gzip_decompressor(compressed);
    case Compression::snappy: return codec::snappy_decompressor(compressed);
    case Compression::lz4: return codec::lz4_decompressor(compressed);
    case Compression::zstd: return codec::zstd_decompressor(compressed);
    case Compression::none: break;
  }
  assert(false && "make_decompressor: codec none");
  return nullptr;
}

std::error_code decompress_all(Compression codec, Bytes compressed, std::vector<std::uint8_t>& out,
                               std::size_t limit) {
  out.clear();
  auto stream = make_decompressor(codec, compressed);
  constexpr std::size_t kStep = 64 * 1024;
  for (;;) {
    const std::size_t at = out.size();
    // One byte past the limit tells "exactly at the limit" from "beyond".
    const std::size_t room = std::min(std::max(kStep, at), limit + 1 - at);
    out.resize(at + room);
    auto n = stream->read(MutableBytes{out.data() + at, room});
    if (!n) return n.error();
    out.resize(at + n.value());
    if (n.value() == 0) return {};
    if (out.size() > limit) return BatchErrc::decompressed_too_large;
  }
}

}  // namespace strata::protocol
