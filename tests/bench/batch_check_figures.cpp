#include "tests/bench/batch_check_figures.h"

#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "protocol/crc32c.h"

namespace strata::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kGB = 1e9;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Seconds per GB of `f` applied to `bytes`-sized inputs, median of runs.
template <typename F>
double seconds_per_gb(int runs, std::size_t bytes, F&& f) {
  const std::size_t reps = std::max<std::size_t>(1, static_cast<std::size_t>(2 * kGB) / bytes);
  std::vector<double> per_gb;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < reps; ++i) f();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    per_gb.push_back(s / (static_cast<double>(reps * bytes) / kGB));
  }
  return median(per_gb);
}

// 1 KiB JSON-like values: what "repetitive text" means in the README.
std::vector<std::uint8_t> json_batch(protocol::Compression codec, std::size_t& plain_bytes) {
  protocol::BatchBuilder b(codec);
  for (int i = 0; i < 256; ++i) {
    std::string v = R"({"user":"user-)" + std::to_string(i % 97) + R"(","event":"page_view","session":")" +
                    std::to_string(i * 7919 % 100000) + R"(","items":[)";
    while (v.size() < 1000) v += R"({"sku":"SKU-)" + std::to_string(v.size() % 37) + R"(","qty":1},)";
    v.resize(1023);
    v += "}";
    b.add(1'700'000'000'000 + i, protocol::as_bytes("key-" + std::to_string(i % 13)), protocol::as_bytes(v));
  }
  plain_bytes = b.size_bytes();
  return b.finish();
}

}  // namespace

void print_batch_check_figures(int runs) {
  std::vector<std::uint8_t> buf(1 << 20);
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<std::uint8_t>(i * 131 + 7);
  const protocol::Bytes data{buf};
  volatile std::uint64_t sink = 0;
  const auto print = [](const char* what, double s_per_gb) {
    std::printf("%-44s %12.1f ms/GB %9.2f GB/s\n", what, s_per_gb * 1e3, 1.0 / s_per_gb);
  };
  print("checksum: CRC-32C, SSE4.2",
        seconds_per_gb(runs, buf.size(), [&] { sink = sink + protocol::crc32c_hardware(data); }));
  print("checksum: CRC-32C, portable (slicing-by-8)",
        seconds_per_gb(runs, buf.size(), [&] { sink = sink + protocol::crc32c_portable(data); }));
  print("checksum: XXH3-64 (the old format's)",
        seconds_per_gb(runs, buf.size(), [&] { sink = sink + XXH3_64bits(buf.data(), buf.size()); }));

  for (const auto codec : {protocol::Compression::none, protocol::Compression::lz4, protocol::Compression::zstd,
                           protocol::Compression::snappy, protocol::Compression::gzip}) {
    std::size_t plain = 0;
    std::vector<std::uint8_t> batch = json_batch(codec, plain);
    auto check = [&] {
      auto v = protocol::validate_for_append(batch, protocol::kMaxBatchBytes);
      if (!v) {
        std::fprintf(stderr, "storage-bench: validate: %s\n", v.error().message().c_str());
        std::exit(1);
      }
    };
    // Per GB of uncompressed records, whatever the codec made of them.
    const double s = seconds_per_gb(runs, batch.size(), check) * static_cast<double>(batch.size()) /
                     static_cast<double>(plain);
    const std::string what = "produce check, 1 KiB JSON, " + std::string(protocol::compression_name(codec)) + " (" +
                             std::to_string(100 * batch.size() / plain) + "% size)";
    print(what.c_str(), s);
  }
}

}  // namespace strata::bench
