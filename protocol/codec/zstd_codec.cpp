// zstd frames (Kafka's producers write one frame per batch).
#include <zstd.h>

#include <stdexcept>

#include "protocol/batch_errc.h"
#include "protocol/codec/codecs.h"

namespace strata::protocol::codec {
namespace {

// The largest window a frame may ask for: 16 MiB. A batch compressed in one
// pass has a window no larger than its content, and batches are far below
// that; a hostile frame cannot make the decoder allocate more.
constexpr int kWindowLogMax = 24;
constexpr int kLevel = 3;  // zstd's and Kafka's default

class ZstdDecompressor final : public Decompressor {
 public:
  explicit ZstdDecompressor(Bytes in) : stream_(ZSTD_createDStream()), in_{in.data(), in.size(), 0} {
    ok_ = stream_ != nullptr && !ZSTD_isError(ZSTD_DCtx_setParameter(stream_, ZSTD_d_windowLogMax, kWindowLogMax));
  }
  ~ZstdDecompressor() override { ZSTD_freeDStream(stream_); }
  ZstdDecompressor(const ZstdDecompressor&) = delete;
  ZstdDecompressor& operator=(const ZstdDecompressor&) = delete;

  Result<std::size_t> read(MutableBytes out) override {
    if (!ok_) return BatchErrc::decompression_failed;
    ZSTD_outBuffer o{out.data(), out.size(), 0};
    while (o.pos < o.size) {
      if (in_.pos == in_.size) {
        if (!frame_done_) return fail();  // cut short inside a frame
        break;
      }
      const std::size_t rc = ZSTD_decompressStream(stream_, &o, &in_);
      if (ZSTD_isError(rc)) return fail();
      frame_done_ = rc == 0;
      if (!frame_done_ && o.pos < o.size && in_.pos == in_.size) return fail();
    }
    return o.pos;
  }

 private:
  Result<std::size_t> fail() {
    ok_ = false;
    return BatchErrc::decompression_failed;
  }
  ZSTD_DStream* stream_;
  ZSTD_inBuffer in_;
  bool ok_ = false;
  bool frame_done_ = true;  // an empty input is zero frames
};

}  // namespace

void zstd_compress(Bytes data, std::vector<std::uint8_t>& out) {
  const std::size_t at = out.size();
  out.resize(at + ZSTD_compressBound(data.size()));
  const std::size_t n = ZSTD_compress(out.data() + at, out.size() - at, data.data(), data.size(), kLevel);
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(at + n);
}

std::unique_ptr<Decompressor> zstd_decompressor(Bytes compressed) {
  return std::make_unique<ZstdDecompressor>(compressed);
}

}  // namespace strata::protocol::codec
