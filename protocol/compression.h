// The four codecs of Kafka's RecordBatch v2 (attributes bits 0-2), each in
// the framing Kafka's clients write and read: gzip as RFC 1952, snappy as
// raw blocks (librdkafka) or "xerial" frames (the Java client; what strata
// writes), lz4 as the LZ4 frame format, zstd as zstd frames. The codecs are
// Debian's zlib, libsnappy, liblz4 and libzstd; strata only frames.
//
// Decompression never trusts the data: every Decompressor stops with
// decompression_failed on malformed input, and callers bound the total with
// kMaxDecompressedBytes (decompressed_too_large), so a bomb costs a bounded
// amount of memory and time.
//
// Threads: every function is safe from any thread; a Decompressor is used by
// one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "protocol/byte_io.h"
#include "protocol/base/result.h"

namespace strata::protocol {

enum class Compression : std::uint8_t { none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4 };

// "none", "gzip", "snappy", "lz4", "zstd": the names of the CLI and configs.
[[nodiscard]] std::string_view compression_name(Compression c) noexcept;
[[nodiscard]] std::optional<Compression> parse_compression(std::string_view name) noexcept;

// The most a batch's records may decompress to (FORMAT.md): 128 MiB, room
// for a full-size batch of text compressed 100:1.
inline constexpr std::size_t kMaxDecompressedBytes = std::size_t{128} << 20;

// Appends `data` compressed with `codec` to `out`. REQUIRES: codec != none.
void compress(Compression codec, Bytes data, std::vector<std::uint8_t>& out);

// A pull stream of decompressed bytes over compressed bytes it views (the
// caller keeps them alive).
class Decompressor {
 public:
  virtual ~Decompressor() = default;
  // Fills up to out.size() bytes; returns how many, 0 only at the end of the
  // data. Errors: decompression_failed (also for data cut short or trailing
  // garbage), decompressed_too_large (a block that declares more than the
  // bound).
  [[nodiscard]] virtual Result<std::size_t> read(MutableBytes out) = 0;
};

// REQUIRES: codec != none.
[[nodiscard]] std::unique_ptr<Decompressor> make_decompressor(Compression codec, Bytes compressed);

// Decompresses everything into `out` (replacing its contents); more than
// `limit` bytes is decompressed_too_large.
[[nodiscard]] std::error_code decompress_all(Compression codec, Bytes compressed, std::vector<std::uint8_t>& out,
                                             std::size_t limit = kMaxDecompressedBytes);

}  // namespace strata::protocol
