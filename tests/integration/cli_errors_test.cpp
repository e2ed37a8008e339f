// Integration tests of the CLI's failures and help: every error exits
// non-zero with one line saying what to do; --help works without a broker.
#include "strata/build_info.h"
#include "tests/integration/cli_test_util.h"

namespace strata::it {

using namespace cli_tests;

TEST_CASE("strata CLI: each error exits non-zero with a one-line message") {
  ClientFixture f;
  const std::string topic = "errs";
  REQUIRE(f.cli({"topic", "create", topic, "--partitions", "2"}).code == 0);
  produce_values(*f.client, topic, 0, {"one", "two"});

  SUBCASE("unknown topic: names it and suggests topic create") {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"consume", "nosuch"}, {"offsets", "nosuch"}, {"partition-for", "nosuch", "k"},
             {"topic", "describe", "nosuch"}, {"produce", "nosuch"}}) {
      CAPTURE(args[0]);
      check_one_line_error(f.cli(args, "x\n"), 1, {"'nosuch'", "strata topic create", "UNKNOWN_TOPIC"});
    }
    check_one_line_error(f.cli({"topic", "delete", "nosuch"}), 1, {"nosuch", "UNKNOWN_TOPIC"});
  }
  SUBCASE("broker unreachable: names the address") {
    const std::string dead = "127.0.0.1:" + std::to_string(free_port());
    check_one_line_error(run_strata(dead, {"topic", "list"}), 1, {dead, "cannot connect"});
    check_one_line_error(run_strata(dead, {"consume", topic}), 1, {dead});
    check_one_line_error(run_strata("", {"offsets", topic}, "", 20s, {{"STRATA_BROKER", dead}}), 1, {dead});
    check_one_line_error(run_strata("no-port-here", {"topic", "list"}), 1, {"no-port-here", "HOST:PORT"});
  }
  SUBCASE("bad --offset") {
    check_one_line_error(f.cli({"consume", topic, "-o", "@yesterday"}), 2, {"--offset", "'yesterday'", "not a time"});
    for (const std::string bad : {"abc", "12x", "-5x", "", "1e3"}) {
      CAPTURE(bad);
      check_one_line_error(f.cli({"consume", topic, "--offset", bad}), 2, {"--offset", "'" + bad + "'"});
    }
  }
  SUBCASE("offset past the log end") {
    // With --partition the offset must lie in its log; across all
    // partitions each starts at min(N, its end) (cli_offset_spec_test).
    check_one_line_error(f.cli({"consume", topic, "--partition", "0", "--offset", "3"}), 1,
                         {"OFFSET_OUT_OF_RANGE", "0..2", "-o end"});
  }
  SUBCASE("bad size") {
    check_one_line_error(f.cli({"topic", "create", "sized", "--partitions", "1", "--retention-bytes", "12XB"}), 2,
                         {"--retention-bytes", "'12XB'", "not a size"});
    CHECK_THROWS_WITH_AS(static_cast<void>(f.client->describe_topic("sized")), doctest::Contains("UNKNOWN_TOPIC"),
                         strata::Error);  // nothing created
    check_one_line_error(f.cli({"topic", "alter", topic, "--segment-bytes", "-5"}), 2, {"--segment-bytes", "'-5'"});
    check_one_line_error(f.cli({"topic", "alter", topic, "--max-message-bytes", "1.5MiB"}), 2,
                         {"--max-message-bytes", "'1.5MiB'"});
  }
  SUBCASE("bad duration") {
    check_one_line_error(f.cli({"topic", "alter", topic, "--retention-ms", "5y"}), 2,
                         {"--retention-ms", "'5y'", "not a duration"});
    check_one_line_error(f.cli({"produce", topic, "--linger", "soon"}, "x\n"), 2, {"--linger", "'soon'"});
    // Nothing was altered.
    CHECK(f.client->describe_configs(topic).at("retention.ms") == "604800000");
  }
  SUBCASE("bad time") {
    check_one_line_error(f.cli({"consume", topic, "--from-time", "yesterday"}), 2, {"--from-time", "'yesterday'"});
    check_one_line_error(f.cli({"consume", topic, "--from-time", "2026-13-01T00:00:00Z"}), 2, {"--from-time"});
  }
  SUBCASE("bad choices") {
    check_one_line_error(f.cli({"produce", topic, "--acks", "all"}, "x\n"), 2, {"--acks", "'all'"});
    check_one_line_error(f.cli({"consume", topic, "--format", "xml"}), 2, {"--format"});
    check_one_line_error(f.cli({"topic", "create", "x", "--partitions", "many"}), 2, {"--partitions"});
    check_one_line_error(f.cli({"consume", topic, "--bogus-flag"}), 2, {"bogus-flag"});
  }
  SUBCASE("unknown command") {
    const auto r = f.cli({"frobnicate"});
    INFO(r.describe());
    CHECK(r.exited);
    CHECK(r.code == 2);
    CHECK(lines_of(r.err).at(0) == "strata: unknown command 'frobnicate'");
    check_one_line_error(f.cli({"topic", "frob"}), 2, {"unknown subcommand 'frob'"});
    const auto opt = f.cli({"--frob", "topic", "list"});
    CHECK(opt.code == 2);
    CHECK(lines_of(opt.err).at(0) == "strata: unknown option '--frob'");
  }
  SUBCASE("missing argument") {
    check_one_line_error(f.cli({"consume"}), 2, {"consume: missing TOPIC"});
    check_one_line_error(f.cli({"topic", "create", "newtopic"}), 2, {"topic create", "partitions", "required"});
    check_one_line_error(f.cli({"partition-for", topic}), 2, {"partition-for: missing KEY"});
    check_one_line_error(f.cli({"topic", "alter", topic}), 2, {"topic alter"});
    check_one_line_error(f.cli({"consume", topic, "--offset"}), 2, {"offset"});
    const auto bare = f.cli({});
    CHECK(bare.code == 2);
    CHECK(bare.err.find("usage: strata") != std::string::npos);
  }
  SUBCASE("partition out of range") {
    check_one_line_error(f.cli({"consume", topic, "--partition", "7"}), 1, {"UNKNOWN_PARTITION", "0..1"});
    check_one_line_error(f.cli({"consume", topic, "--partition", "2"}), 1, {"UNKNOWN_PARTITION", "0..1"});
    const auto r = f.cli({"produce", topic, "--partition", "9"}, "x\n");
    INFO(r.describe());
    CHECK(r.code == 1);
    CHECK(r.err.find("UNKNOWN_PARTITION") != std::string::npos);
    CHECK(f.client->list_offset(topic, 0, kLatestOffset) == 2);  // nothing was written
    CHECK(f.client->list_offset(topic, 1, kLatestOffset) == 0);
  }
  SUBCASE("broker-side refusals") {
    check_one_line_error(f.cli({"topic", "create", topic, "--partitions", "1"}), 1, {"TOPIC_EXISTS"});
    check_one_line_error(f.cli({"topic", "create", "bad/name", "--partitions", "1"}), 1, {"INVALID_TOPIC"});
    check_one_line_error(f.cli({"topic", "create", "zero", "--partitions", "0"}), 1, {"INVALID_PARTITIONS"});
    check_one_line_error(f.cli({"topic", "alter", topic, "--segment-bytes", "10"}), 1, {"INVALID_CONFIG", "segment.bytes"});
  }
}

TEST_CASE("strata CLI: --help on every command exits 0 and prints usage without a broker") {
  const std::string dead = "127.0.0.1:" + std::to_string(free_port());
  const std::vector<std::vector<std::string>> commands{
      {"--help"},
      {"-h"},
      {"topic", "--help"},
      {"topic", "create", "--help"},
      {"topic", "list", "--help"},
      {"topic", "describe", "--help"},
      {"topic", "alter", "--help"},
      {"topic", "delete", "--help"},
      {"produce", "--help"},
      {"consume", "--help"},
      {"offsets", "--help"},
      {"partition-for", "--help"},
      {"consume", "sometopic", "-h"},
  };
  for (const auto& args : commands) {
    std::string joined;
    for (const auto& a : args) joined.append(a).append(" ");
    CAPTURE(joined);
    const auto r = run_strata(dead, args, "", 10s);
    INFO(r.describe());
    CHECK(r.exited);
    CHECK(r.code == 0);
    CHECK(r.out.starts_with("usage: strata"));
    CHECK(r.err.empty());
  }
  const auto consume = run_strata(dead, {"consume", "--help"});
  for (const char* option : {"--partition", "--offset", "--from-time", "--count", "--follow", "--format"}) {
    CHECK_MESSAGE(consume.out.find(option) != std::string::npos, option);
  }
  const auto create = run_strata(dead, {"topic", "create", "--help"});
  for (const char* option : {"--partitions", "--retention-ms", "--retention-bytes", "--segment-bytes"}) {
    CHECK_MESSAGE(create.out.find(option) != std::string::npos, option);
  }
}

// Issue 25 item 9: `topic alter --help` offered "-1 = no limit" for
// --segment-bytes and --max-message-bytes, which the broker refuses. Every
// option's help now says -1 exactly where the broker takes it.
TEST_CASE("strata CLI: topic alter --help offers -1 exactly where the broker accepts it") {
  ClientFixture f;
  const std::string topic = "helped";
  f.client->create_topic(topic, 1);
  const auto help = f.cli({"topic", "alter", "--help"});
  REQUIRE(help.code == 0);
  // Each option's help text runs from its flag to the next "  --" at a line start.
  std::size_t options = 0;
  for (std::size_t at = help.out.find("\n  --"); at != std::string::npos;) {
    const std::size_t next = help.out.find("\n  --", at + 1);
    const std::string text = help.out.substr(at + 3, next == std::string::npos ? std::string::npos : next - at - 3);
    at = next;
    const std::string option = text.substr(0, text.find(' '));
    if (option == "--name" || option == "--help") continue;
    ++options;
    CAPTURE(option);
    const bool offers = text.find("-1 =") != std::string::npos;
    const auto r = f.cli({"topic", "alter", topic, option, "-1"});
    CHECK_MESSAGE((r.code == 0) == offers, "help: " << text << "broker: " << r.describe());
  }
  CHECK(options >= 6);
}

// Issue 16: options that contradict each other are refused, not resolved
// silently (the last -b won; an --until-time before the start read nothing;
// -o earliest with --from-time took the time).
TEST_CASE("strata CLI: contradicting options are refused with a one-line error naming both") {
  ClientFixture f;
  f.client->create_topic("clash", 1);
  const std::string other = "127.0.0.1:1";
  check_one_line_error(run_strata(f.address, {"-b", other, "topic", "list"}), 2,
                       {"-b/--broker given twice (", other, "give one, with a comma-separated list"});
  check_one_line_error(f.cli({"consume", "clash", "-o", "earliest", "--from-time", "1000"}), 2,
                       {"use --offset or --from-time, not both"});
  check_one_line_error(f.cli({"consume", "clash", "--from-time", "2000", "--until-time", "1000"}), 2,
                       {"--until-time is before the start time"});
  check_one_line_error(f.cli({"consume", "clash", "-o", "@2000", "--until-time", "1000"}), 2,
                       {"--until-time is before the start time"});
  check_one_line_error(f.cli({"produce", "clash", "--key", "k", "--key-separator", ":"}, "a:b\n"), 2,
                       {"use --key or --key-separator, not both"});
  check_one_line_error(f.cli({"topic", "alter", "clash", "--partitions", "2", "--retention-ms", "1000"}), 2,
                       {"--partitions alone"});
  // The same value twice is no contradiction; options given once still work.
  CHECK(run_strata(f.address, {"-b", f.address, "topic", "list"}).code == 0);
  CHECK(f.cli({"consume", "clash", "--from-time", "1000", "--until-time", "2000"}).code == 0);
}

// Issue 16: --version on both binaries, without a broker.
TEST_CASE("strata CLI: --version on strata and strata-broker prints the version and commit, exit 0") {
  for (const std::string& binary : {strata_cli_binary(), broker_binary()}) {
    ChildProcess child({binary, "--version"});
    const auto r = child.wait(10s);
    INFO(r.describe());
    CHECK(r.code == 0);
    const std::string name = std::filesystem::path(binary).filename().string();
    CHECK(r.out.starts_with(name + " " + std::string(kVersion) + " (commit "));
  }
}

}  // namespace strata::it
