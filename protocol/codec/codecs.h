// One compressor and one decompressor per codec, behind compression.h's
// dispatch. Internal to protocol/: include compression.h instead.
#pragma once

#include "protocol/compression.h"

namespace strata::protocol::codec {

void gzip_compress(Bytes data, std::vector<std::uint8_t>& out);
void snappy_compress(Bytes data, std::vector<std::uint8_t>& out);
void lz4_compress(Bytes data, std::vector<std::uint8_t>& out);
void zstd_compress(Bytes data, std::vector<std::uint8_t>& out);

std::unique_ptr<Decompressor> gzip_decompressor(Bytes compressed);
std::unique_ptr<Decompressor> snappy_decompressor(Bytes compressed);
std::unique_ptr<Decompressor> lz4_decompressor(Bytes compressed);
std::unique_ptr<Decompressor> zstd_decompressor(Bytes compressed);

}  // namespace strata::protocol::codec
