// Offsets as users of kcat and rpk write them (issue 16): -o -N (N before
// each partition's end), -o end, -o @TIME, --until-time, and a numeric
// offset across all partitions starting each at min(N, its end) instead of
// failing the command; --from-time with -o is refused.
#include "tests/integration/cli_test_util.h"

namespace strata::it {

using namespace cli_tests;

namespace {

// `count` records to `partition`, value "<tag><i>", timestamp t0 + i s.
void produce_timed(Client& c, const std::string& topic, std::uint32_t partition, const std::string& tag,
                   int count, std::int64_t t0) {
  ScopedProducer kept(c);
  std::vector<std::string> values;
  for (int i = 0; i < count; ++i) values.push_back(tag + std::to_string(i));
  for (int i = 0; i < count; ++i) {
    ProducerRecord r;
    r.topic = topic;
    r.value = values[static_cast<std::size_t>(i)];
    r.partition = partition;
    r.timestamp = t0 + i * 1000;
    kept->send(r);
  }
  kept->flush();
}

// "partition:offset" of each record printed with --format json.
std::vector<std::string> positions(const ProcessResult& r) {
  INFO(r.describe());
  CHECK(r.code == 0);
  std::vector<std::string> out;
  for (const auto& rec : parse_json_lines(r.out)) {
    out.push_back(std::to_string(rec.partition) + ":" + std::to_string(rec.offset));
  }
  return out;
}

}  // namespace

TEST_CASE("strata CLI: consume -o -N, end, @TIME, --until-time and a clamped numeric offset") {
  ClientFixture f;
  REQUIRE(f.cli({"topic", "create", "offs", "--partitions", "2"}).code == 0);
  const std::int64_t t0 = now_ms() - 3'600'000;
  produce_timed(*f.client, "offs", 0, "a", 5, t0);
  produce_timed(*f.client, "offs", 1, "b", 20, t0);
  const std::vector<std::string> json{"--format", "json"};
  auto consume = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"consume", "offs"});
    args.insert(args.end(), json.begin(), json.end());
    return f.cli(args);
  };

  CHECK(positions(consume({"-o", "-3"})) == std::vector<std::string>{"0:2", "0:3", "0:4", "1:17", "1:18", "1:19"});
  CHECK(positions(consume({"--offset", "-7"})).size() == 5 + 7);  // p0 has only 5
  CHECK(positions(consume({"-o", "end"})).empty());
  // 10 is past p0's end (5): p0 starts at its end, p1 at 10.
  const auto clamped = positions(consume({"-o", "10"}));
  REQUIRE(clamped.size() == 10);
  CHECK(clamped.front() == "1:10");
  CHECK(clamped.back() == "1:19");
  // @TIME: the first record at or after it, per partition.
  const auto at3 = positions(consume({"-o", "@" + iso8601(t0 + 3000)}));
  REQUIRE(at3.size() == 2 + 17);
  CHECK(at3[0] == "0:3");
  CHECK(at3[2] == "1:3");
  CHECK(positions(consume({"-o", "@" + std::to_string(t0 + 18'000)})) == std::vector<std::string>{"1:18", "1:19"});
  // --until-time: up to and including TIME; with --follow it still ends.
  CHECK(positions(consume({"--until-time", iso8601(t0 + 1000)})) ==
        std::vector<std::string>{"0:0", "0:1", "1:0", "1:1"});
  CHECK(positions(consume({"-o", "@" + std::to_string(t0 + 2000), "--until-time", std::to_string(t0 + 2000),
                           "--follow"})) == std::vector<std::string>{"0:2", "1:2"});

  check_one_line_error(f.cli({"consume", "offs", "--from-time", iso8601(t0), "-o", "2"}), 2,
                       {"--offset or --from-time, not both"});
}

}  // namespace strata::it
