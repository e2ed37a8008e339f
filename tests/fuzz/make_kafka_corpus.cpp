// Seeds for fuzz_kafka_request: every (API, version) request sample of the
// Kafka codec tests (tests/kafka/kafka_samples.cpp) in a whole frame, as a
// client sends it. Called by make_corpus.cpp's main.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "protocol/kafka/api_table.h"
#include "tests/kafka/kafka_samples.h"

namespace strata::kafka::test {

void kafka_request_seeds(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  for (const Sample& s : all_request_samples()) {
    Be frame;
    frame.i32(0).i16(s.api_key).i16(s.version).i32(7).str("seed");
    if (request_header_version(*find_api(s.api_key), s.version) == 2) frame.uv(0);
    frame.raw(s.body.bytes()).patch_frame_size();
    std::string name = s.name();
    std::replace(name.begin(), name.end(), ' ', '-');
    std::ofstream out(dir / ("seed-" + name), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(frame.bytes().data()), static_cast<std::streamsize>(frame.bytes().size()));
  }
}

}  // namespace strata::kafka::test
