// gzip: RFC 1952 members (zlib's deflate with a gzip wrapper), as Kafka's
// clients write them. Concatenated members are read one after another.
#include <zlib.h>

#include <limits>
#include <stdexcept>

#include "protocol/batch_errc.h"
#include "protocol/codec/codecs.h"

namespace strata::protocol::codec {
namespace {

constexpr int kGzipWindowBits = 16 + MAX_WBITS;  // 16: gzip framing, not zlib

// zlib counts in uInt; batches are bounded far below that (kMaxBatchBytes).
uInt as_uint(std::size_t n) { return static_cast<uInt>(std::min<std::size_t>(n, std::numeric_limits<uInt>::max())); }

class GzipDecompressor final : public Decompressor {
 public:
  explicit GzipDecompressor(Bytes in) {
    stream_.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct; it never writes
    stream_.avail_in = as_uint(in.size());
    ok_ = inflateInit2(&stream_, kGzipWindowBits) == Z_OK;
  }
  ~GzipDecompressor() override { inflateEnd(&stream_); }
  GzipDecompressor(const GzipDecompressor&) = delete;
  GzipDecompressor& operator=(const GzipDecompressor&) = delete;

  Result<std::size_t> read(MutableBytes out) override {
    if (!ok_) return BatchErrc::decompression_failed;
    if (out.empty()) return std::size_t{0};
    stream_.next_out = out.data();
    stream_.avail_out = as_uint(out.size());
    while (stream_.avail_out > 0 && !done_) {
      const int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        if (stream_.avail_in == 0) done_ = true;
        else if (inflateReset(&stream_) != Z_OK) return fail();  // the next member
      } else if (rc != Z_OK) {
        return fail();  // Z_BUF_ERROR here means input ran out mid-member
      }
    }
    return out.size() - stream_.avail_out;
  }

 private:
  Result<std::size_t> fail() {
    ok_ = false;
    return BatchErrc::decompression_failed;
  }
  z_stream stream_{};
  bool ok_ = false;
  bool done_ = false;
};

}  // namespace

void gzip_compress(Bytes data, std::vector<std::uint8_t>& out) {
  z_stream s{};
  if (deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::bad_alloc();
  }
  const std::size_t at = out.size();
  out.resize(at + deflateBound(&s, static_cast<uLong>(data.size())));
  s.next_in = const_cast<Bytef*>(data.data());
  s.avail_in = as_uint(data.size());
  s.next_out = out.data() + at;
  s.avail_out = as_uint(out.size() - at);
  const int rc = deflate(&s, Z_FINISH);
  const std::size_t written = s.total_out;
  deflateEnd(&s);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish within deflateBound");
  out.resize(at + written);
}

std::unique_ptr<Decompressor> gzip_decompressor(Bytes compressed) {
  return std::make_unique<GzipDecompressor>(compressed);
}

}  // namespace strata::protocol::codec
