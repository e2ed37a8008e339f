// Integration test of `strata topic alter` and `strata offsets` against a
// real broker: lowering retention advances the earliest offset.
#include "tests/integration/cli_test_util.h"

namespace strata::it {

using namespace cli_tests;

TEST_CASE("strata CLI: topic alter --retention-bytes advances the earliest offset shown by strata offsets") {
  ClientFixture f({"--retention-check-interval-ms", "200"});
  const std::string topic = "retained";
  {
    const auto r = f.cli({"topic", "create", topic, "--partitions", "1", "--segment-bytes", "1KiB"});
    REQUIRE_MESSAGE(r.code == 0, r.describe());
  }
  std::vector<std::string> values;
  for (int i = 0; i < 300; ++i) {
    std::string v = "ret-" + std::to_string(i) + "-";
    v.resize(100, 'x');
    values.push_back(v);
  }
  produce_values(*f.client, topic, 0, values, 10);  // 30 batches, about one per segment
  {
    const auto r = f.cli({"offsets", topic});
    REQUIRE_MESSAGE(r.code == 0, r.describe());
    CHECK(r.out == "partition\tearliest\tlatest\n0\t0\t300\n");
  }
  {
    const auto r = f.cli({"topic", "alter", topic, "--retention-bytes", "3KiB"});
    REQUIRE_MESSAGE(r.code == 0, r.describe());
    CHECK(r.out == "altered topic " + topic + ": retention.bytes=3072\n");
  }
  {
    const auto r = f.cli({"topic", "describe", topic});
    REQUIRE_MESSAGE(r.code == 0, r.describe());
    CHECK(r.out.find("  retention.bytes = 3072\n") != std::string::npos);
    CHECK(r.out.find("  segment.bytes = 1024\n") != std::string::npos);
  }
  std::int64_t earliest = 0;
  const bool advanced = eventually(
      [&] {
        const auto r = f.cli({"offsets", topic});
        if (r.code != 0) return false;
        const auto table = parse_offsets(r.out);
        earliest = table.at(0).first;
        return earliest > 0 && table.at(0).second == 300;
      },
      15s);
  REQUIRE_MESSAGE(advanced, "earliest offset stayed at " << earliest);
  std::this_thread::sleep_for(500ms);  // let retention settle
  const auto table = parse_offsets(f.cli({"offsets", topic}).out);
  earliest = table.at(0).first;
  CHECK(earliest > 0);
  CHECK(earliest < 300);
  CHECK(table.at(0).second == 300);
  CHECK(earliest == f.client->list_offset(topic, 0, kEarliestOffset));
  // Roughly 3 KiB of 1 KiB segments remain.
  CHECK(300 - earliest <= 60);

  // Consuming from the earliest offset starts there.
  const auto r = f.cli({"consume", topic});
  REQUIRE_MESSAGE(r.code == 0, r.describe());
  CHECK(lines_of(r.out) == slice(values, static_cast<std::size_t>(earliest), values.size()));
  // An offset retention deleted is reported, not silently skipped.
  check_one_line_error(f.cli({"consume", topic, "--partition", "0", "--offset", "0"}), 1,
                       {"OFFSET_OUT_OF_RANGE", "-o earliest starts at the log start"});
}

// Issue 25 item 8: -1 and -2 are the wire's "latest" and "earliest"; a time
// before 1970 given on the command line must be refused, never sent as one
// of them (it was: --at-time=-1 printed the log end).
TEST_CASE("strata CLI: negative times are refused, never taken for latest or earliest") {
  ClientFixture f;
  const std::string topic = "negative";
  f.client->create_topic(topic, 1);
  produce_values(*f.client, topic, 0, {"a", "b", "c"}, 3);
  for (const std::string t : {"-1", "-2", "-1000", "1969-12-31T23:59:59.999Z"}) {
    INFO("time " << t);
    check_one_line_error(f.cli({"offsets", topic, "--at-time=" + t}), 2, {"--at-time", "before 1970"});
    check_one_line_error(f.cli({"consume", topic, "--from-time=" + t}), 2, {"--from-time", "before 1970"});
  }
  // The epoch itself is a time: every record is at or after it.
  const auto r = f.cli({"offsets", topic, "--at-time=0"});
  REQUIRE_MESSAGE(r.code == 0, r.describe());
  CHECK(r.out == "partition\toffset at 1970-01-01T00:00:00.000Z\n0\t0\n");
  // The library refuses the same instead of sending a sentinel.
  Consumer consumer(*f.client);
  CHECK_THROWS_AS(consumer.assign(topic, 0, StartPosition::at_time(-1)), strata::Error);
}

}  // namespace strata::it
