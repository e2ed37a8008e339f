// snappy, read in both framings Kafka clients write:
//   raw      one snappy block (librdkafka);
//   xerial   8-byte magic 82 'SNAPPY' 00, i32 version, i32 compatible
//            version, then blocks of { i32 length (big-endian), snappy
//            block } (Kafka's Java client; what strata writes).
// Every block declares its uncompressed size up front; it is checked
// against kMaxDecompressedBytes, and the block validated, before a byte is
// decompressed. A block is held whole (snappy has no streaming API for raw
// blocks); a valid block expands at most ~21x.
#include <snappy.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "protocol/batch_errc.h"
#include "protocol/codec/codecs.h"

namespace strata::protocol::codec {
namespace {

constexpr std::array<std::uint8_t, 8> kXerialMagic{0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
constexpr std::size_t kXerialHeader = 16;
constexpr std::size_t kXerialBlock = 32 * 1024;  // the Java client's default block size

bool is_xerial(Bytes in) noexcept {
  return in.size() >= kXerialHeader && std::memcmp(in.data(), kXerialMagic.data(), kXerialMagic.size()) == 0;
}

class SnappyDecompressor final : public Decompressor {
 public:
  explicit SnappyDecompressor(Bytes in) : in_(in), xerial_(is_xerial(in)) {
    if (xerial_) in_ = in_.subspan(kXerialHeader);
  }

  Result<std::size_t> read(MutableBytes out) override {
    std::size_t produced = 0;
    while (produced < out.size()) {
      if (at_ == block_.size()) {
        if (in_.empty()) break;
        if (auto ec = next_block()) return ec;
        continue;
      }
      const std::size_t n = std::min(out.size() - produced, block_.size() - at_);
      std::memcpy(out.data() + produced, block_.data() + at_, n);
      at_ += n;
      produced += n;
    }
    return produced;
  }

 private:
  std::error_code next_block() {
    Bytes block = in_;
    if (xerial_) {
      if (in_.size() < 4) return BatchErrc::decompression_failed;
      const std::uint32_t len = load_be<std::uint32_t>(in_.data());
      if (len > in_.size() - 4) return BatchErrc::decompression_failed;
      block = in_.subspan(4, len);
    }
    in_ = in_.subspan(block.size() + (xerial_ ? 4 : 0));
    const char* src = reinterpret_cast<const char*>(block.data());
    std::size_t size = 0;
    if (!snappy::GetUncompressedLength(src, block.size(), &size)) return BatchErrc::decompression_failed;
    if (size > kMaxDecompressedBytes) return BatchErrc::decompressed_too_large;
    // Checked before allocating: a block may declare a size its bytes cannot
    // produce, and that must not cost the memory it names.
    if (!snappy::IsValidCompressedBuffer(src, block.size())) return BatchErrc::decompression_failed;
    block_.resize(size);
    at_ = 0;
    if (!snappy::RawUncompress(src, block.size(), reinterpret_cast<char*>(block_.data()))) {
      return BatchErrc::decompression_failed;
    }
    return {};
  }

  Bytes in_;
  bool xerial_;
  std::vector<std::uint8_t> block_;  // the current block, decompressed
  std::size_t at_ = 0;
};

}  // namespace

void snappy_compress(Bytes data, std::vector<std::uint8_t>& out) {
  out.insert(out.end(), kXerialMagic.begin(), kXerialMagic.end());
  const std::size_t header = out.size();
  out.resize(header + 8);
  store_be<std::int32_t>(out.data() + header, 1);      // version
  store_be<std::int32_t>(out.data() + header + 4, 1);  // oldest compatible version
  for (std::size_t at = 0; at < data.size(); at += kXerialBlock) {
    const std::size_t n = std::min(kXerialBlock, data.size() - at);
    const std::size_t len_at = out.size();
    out.resize(len_at + 4 + snappy::MaxCompressedLength(n));
    std::size_t written = 0;
    snappy::RawCompress(reinterpret_cast<const char*>(data.data() + at), n,
                        reinterpret_cast<char*>(out.data() + len_at + 4), &written);
    store_be(out.data() + len_at, static_cast<std::uint32_t>(written));
    out.resize(len_at + 4 + written);
  }
}

std::unique_ptr<Decompressor> snappy_decompressor(Bytes compressed) {
  return std::make_unique<SnappyDecompressor>(compressed);
}

}  // namespace strata::protocol::codec
