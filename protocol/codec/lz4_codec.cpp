// lz4 in the LZ4 frame format (not raw blocks, and not Kafka's pre-0.10
// frames with the wrong header checksum, which RecordBatch v2 never uses).
#include <lz4frame.h>

#include <stdexcept>

#include "protocol/batch_errc.h"
#include "protocol/codec/codecs.h"

namespace strata::protocol::codec {
namespace {

class Lz4Decompressor final : public Decompressor {
 public:
  explicit Lz4Decompressor(Bytes in) : in_(in) {
    ok_ = !LZ4F_isError(LZ4F_createDecompressionContext(&ctx_, LZ4F_VERSION));
  }
  ~Lz4Decompressor() override { LZ4F_freeDecompressionContext(ctx_); }
  Lz4Decompressor(const Lz4Decompressor&) = delete;
  Lz4Decompressor& operator=(const Lz4Decompressor&) = delete;

  Result<std::size_t> read(MutableBytes out) override {
    if (!ok_) return BatchErrc::decompression_failed;
    std::size_t produced = 0;
    while (produced < out.size()) {
      if (in_.empty()) {
        if (hint_ != 0) return fail();  // cut short inside a frame
        break;
      }
      std::size_t dst = out.size() - produced;
      std::size_t src = in_.size();
      hint_ = LZ4F_decompress(ctx_, out.data() + produced, &dst, in_.data(), &src, nullptr);
      if (LZ4F_isError(hint_)) return fail();
      in_ = in_.subspan(src);
      produced += dst;
      if (dst == 0 && src == 0) return fail();  // no progress: malformed
    }
    return produced;
  }

 private:
  Result<std::size_t> fail() {
    ok_ = false;
    return BatchErrc::decompression_failed;
  }
  LZ4F_dctx* ctx_ = nullptr;
  Bytes in_;
  std::size_t hint_ = 0;  // 0 once a frame is complete
  bool ok_ = false;
};

}  // namespace

void lz4_compress(Bytes data, std::vector<std::uint8_t>& out) {
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.blockSizeID = LZ4F_max64KB;  // Kafka's choice: small blocks, small decoder buffers
  prefs.frameInfo.blockMode = LZ4F_blockIndependent;
  prefs.frameInfo.contentSize = data.size();
  const std::size_t at = out.size();
  out.resize(at + LZ4F_compressFrameBound(data.size(), &prefs));
  const std::size_t n = LZ4F_compressFrame(out.data() + at, out.size() - at, data.data(), data.size(), &prefs);
  if (LZ4F_isError(n)) throw std::runtime_error(std::string("lz4: ") + LZ4F_getErrorName(n));
  out.resize(at + n);
}

std::unique_ptr<Decompressor> lz4_decompressor(Bytes compressed) {
  return std::make_unique<Lz4Decompressor>(compressed);
}

}  // namespace strata::protocol::codec
