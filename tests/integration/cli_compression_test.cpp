// `strata produce --compression` for each Kafka codec against a real
// broker: the records read back through `strata consume`, and the segment
// file the broker wrote parses, batch by batch, with a valid CRC-32C, as
// Kafka RecordBatch v2 under an independent reader
// (tests/tools/kafka_v2_reader.py, Python and Debian's codec modules).
#include "tests/integration/cli_test_util.h"

namespace strata::it {

using namespace cli_tests;

namespace {

const std::vector<std::pair<std::string, int>> kCodecs = {
    {"none", 0}, {"gzip", 1}, {"snappy", 2}, {"lz4", 3}, {"zstd", 4}};

std::string input_lines(int n) {
  std::string in;
  for (int i = 0; i < n; ++i) {
    in += "user-" + std::to_string(i % 5) + ":{\"event\":\"page_view\",\"n\":" + std::to_string(i) + "}\n";
  }
  return in;
}

}  // namespace

TEST_CASE("strata CLI: produce --compression, consume, and an independent Kafka v2 reader of the segment") {
  ClientFixture f;
  constexpr int kLines = 300;
  for (const auto& [codec, bits] : kCodecs) {
    CAPTURE(codec);
    const std::string topic = "z-" + codec;
    REQUIRE(f.cli({"topic", "create", topic, "--partitions", "1"}).code == 0);
    const auto produced = f.cli({"produce", topic, "--key-separator", ":", "--compression", codec, "--acks",
                                 "durable", "--linger", "50ms"},
                                input_lines(kLines));
    REQUIRE_MESSAGE(produced.code == 0, produced.describe());

    const auto consumed = f.cli({"consume", topic, "--format", "json"});
    REQUIRE_MESSAGE(consumed.code == 0, consumed.describe());
    const auto records = parse_json_lines(consumed.out);
    REQUIRE(records.size() == kLines);
    CHECK(*json_field_bytes(records[7].object.at("value")) == "{\"event\":\"page_view\",\"n\":7}");
    CHECK(*json_field_bytes(records[7].object.at("key")) == "user-2");

    const auto segment = f.broker.partition_dir(topic, 0) / "00000000000000000000.log";
    const auto read = ChildProcess({"/usr/bin/python3", STRATA_SOURCE_DIR "/tests/tools/kafka_v2_reader.py",
                                    segment.string()})
                          .wait(60s);
    REQUIRE_MESSAGE(read.code == 0, read.describe());
    const auto lines = lines_of(read.out);
    REQUIRE(lines.size() == kLines);
    for (std::size_t i = 0; i < lines.size(); i += 37) {
      CAPTURE(i);
      const JsonValue r = parse_json(lines[i]);
      CHECK(as_int(r.at("offset")) == static_cast<std::int64_t>(i));
      CHECK(as_int(r.at("codec")) == bits);
      CHECK(r.at("value").get<std::string>() == "{\"event\":\"page_view\",\"n\":" + std::to_string(i) + "}");
      CHECK(r.at("key").get<std::string>() == "user-" + std::to_string(i % 5));
    }
    // The reader can fail: one flipped byte inside the records is a CRC mismatch.
    TempDir scratch;
    const auto damaged = scratch.path() / "damaged.log";
    std::filesystem::copy_file(segment, damaged);
    {
      std::fstream file(damaged, std::ios::in | std::ios::out | std::ios::binary);
      char c = 0;
      file.seekg(70);
      file.get(c);
      file.seekp(70);
      file.put(static_cast<char>(c ^ 0x5a));
    }
    const auto refused =
        ChildProcess({"/usr/bin/python3", STRATA_SOURCE_DIR "/tests/tools/kafka_v2_reader.py", damaged.string()})
            .wait(60s);
    CHECK(refused.code == 1);
    CHECK(refused.err.find("CRC-32C mismatch") != std::string::npos);
  }
}

TEST_CASE("strata CLI: an unknown --compression is refused with the choices") {
  ClientFixture f;
  REQUIRE(f.cli({"topic", "create", "zz", "--partitions", "1"}).code == 0);
  const auto r = f.cli({"produce", "zz", "--compression", "brotli"}, "x\n");
  check_one_line_error(r, 2, {"--compression must be none, gzip, snappy, lz4 or zstd", "brotli"});
}

}  // namespace strata::it
