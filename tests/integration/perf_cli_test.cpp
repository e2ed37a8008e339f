// `strata perf produce|consume|latency` against a real broker: the JSON
// each prints is one object whose counts match what was asked and what the
// broker holds. Figures of speed are not checked: they are not tests.
#include <doctest/doctest.h>

#include <map>


#include "tests/integration/client_test_util.h"

namespace strata::it {
namespace {

JsonValue run_json(const ClientFixture& f, const std::vector<std::string>& args) {
  const ProcessResult r = f.cli(args, {}, 60s);
  INFO(r.describe());
  REQUIRE(r.exited);
  REQUIRE(r.code == 0);
  REQUIRE(lines_of(r.out).size() == 1);  // exactly one JSON object
  return parse_json(r.out);
}

double number(const JsonValue& v) {
  REQUIRE(v.is_number());
  return v.get<double>();
}

TEST_CASE("perf produce, consume and latency report the counts asked for") {
  ClientFixture f;
  const JsonValue produced = run_json(f, {"perf", "produce", "--topic", "bench", "--messages", "2000", "--size", "100",
                                          "--keys", "10", "--partitions", "3", "--producers", "2", "--json"});
  CHECK(as_int(produced.at("messages")) == 2000);
  CHECK(as_int(produced.at("bytes")) == 2000 * 100);
  CHECK(as_int(produced.at("errors")) == 0);
  CHECK(number(produced.at("seconds")) > 0);
  CHECK(number(produced.at("msgs_per_sec")) > 0);
  CHECK(number(produced.at("mb_per_sec")) > 0);
  CHECK(number(produced.at("p50_ms")) <= number(produced.at("p99_ms")));
  CHECK(number(produced.at("p99_ms")) <= number(produced.at("p999_ms")));
  CHECK(number(produced.at("p999_ms")) <= number(produced.at("max_ms")));
  std::int64_t stored = 0;
  for (const auto& [earliest, latest] : f.offsets("bench")) stored += latest - earliest;
  CHECK(f.offsets("bench").size() == 3);
  CHECK(stored == 2000);

  const JsonValue consumed = run_json(f, {"perf", "consume", "--topic", "bench", "--json"});
  CHECK(as_int(consumed.at("messages")) == 2000);
  CHECK(as_int(consumed.at("bytes")) == 2000 * 100);
  CHECK(number(consumed.at("msgs_per_sec")) > 0);
  CHECK(number(consumed.at("mb_per_sec")) > 0);

  const JsonValue some = run_json(f, {"perf", "consume", "--topic", "bench", "--messages", "500", "--consumers", "2",
                                      "--json"});
  CHECK(as_int(some.at("messages")) == 500);
  CHECK(as_int(some.at("bytes")) == 500 * 100);

  const JsonValue latency = run_json(f, {"perf", "latency", "--topic", "lat", "--rate", "1000", "--messages", "500",
                                         "--json"});
  CHECK(as_int(latency.at("messages")) == 500);
  CHECK(as_int(latency.at("rate")) == 1000);
  CHECK(as_int(latency.at("errors")) == 0);
  CHECK(number(latency.at("p50_ms")) <= number(latency.at("p99_ms")));
  CHECK(number(latency.at("p999_ms")) <= number(latency.at("max_ms")));
  CHECK(number(latency.at("max_ms")) > 0);
}

// The benchmark's keys are what it says: K distinct 16-byte keys, and the
// key picks the partition as the client library's partitioner does.
TEST_CASE("perf produce --keys K writes K distinct 16-byte keys, each to its key's partition") {
  ClientFixture f;
  const JsonValue produced = run_json(f, {"perf", "produce", "--topic", "keyed", "--messages", "3000", "--size", "20",
                                          "--keys", "50", "--partitions", "4", "--json"});
  REQUIRE(as_int(produced.at("messages")) == 3000);
  std::map<std::string, std::uint32_t> partition_of;
  const auto records = consume_all(*f.client, "keyed", {0, 1, 2, 3}, StartPosition::earliest());
  REQUIRE(records.size() == 3000);
  for (const auto& r : records) {
    REQUIRE(r.key.has_value());
    CHECK(r.key->size() == 16);
    CHECK(r.key->rfind("key-", 0) == 0);
    CHECK(r.partition == strata::partition_for_key(*r.key, 4));
    partition_of[*r.key] = r.partition;
  }
  CHECK(partition_of.size() == 50);
}

TEST_CASE("perf produce with acks=none reports no latency") {
  ClientFixture f;
  const JsonValue produced = run_json(f, {"perf", "produce", "--topic", "fire", "--messages", "1000", "--acks", "none",
                                          "--json"});
  CHECK(as_int(produced.at("messages")) == 1000);
  CHECK(produced.at("p50_ms").is_null());
  CHECK(produced.at("max_ms").is_null());
  const ProcessResult text = f.cli({"perf", "produce", "--topic", "fire", "--messages", "10", "--acks", "none"});
  CHECK(text.code == 0);
  CHECK(text.out.find("not measurable") != std::string::npos);
  CHECK(text.out.find("MB = 10^6 bytes") != std::string::npos);
}

TEST_CASE("perf subcommands have --help and one-line usage errors") {
  ClientFixture f;
  for (const char* sub : {"produce", "consume", "latency"}) {
    const ProcessResult help = f.cli({"perf", sub, "--help"});
    INFO(help.describe());
    CHECK(help.code == 0);
    CHECK(help.out.find("--topic") != std::string::npos);
  }
  const ProcessResult missing = f.cli({"perf", "produce", "--topic", "x"});
  CHECK(missing.code == 2);
  CHECK(lines_of(missing.err).size() == 1);
  CHECK(missing.err.rfind("strata: perf produce:", 0) == 0);
  const ProcessResult both = f.cli({"perf", "latency", "--topic", "x", "--rate", "10", "--messages", "5", "--seconds", "1"});
  CHECK(both.code == 2);
  CHECK(lines_of(both.err).size() == 1);
  const ProcessResult unknown_topic = f.cli({"perf", "consume", "--topic", "nope"});
  CHECK(unknown_topic.code == 1);
  CHECK(lines_of(unknown_topic.err).size() == 1);
  const ProcessResult unknown = f.cli({"perf", "fly"});
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("unknown benchmark") != std::string::npos);
}

}  // namespace
// Issue 16: perf latency ended with "lost the connection" when the broker
// restarted. Its reader now reconnects with backoff, says so on stderr, and
// the run ends with its report (messages lost while the broker was down are
// counted as errors, not a crash).
TEST_CASE("perf latency rides out a broker restart and still reports") {
  ClientFixture f;
  REQUIRE(f.cli({"topic", "create", "lat2", "--partitions", "1"}).code == 0);
  ChildProcess bench({strata_cli_binary(), "-b", f.address, "perf", "latency", "--topic", "lat2", "--rate", "200",
                      "--seconds", "4", "--json"});
  std::this_thread::sleep_for(1s);
  f.broker.broker->stop(SIGTERM);
  CHECK_MESSAGE(bench.wait_for_err("reconnecting in", 10s), "stderr: " << bench.err());
  std::this_thread::sleep_for(300ms);
  f.broker.restart({"--listen", f.address});
  const ProcessResult r = bench.wait(60s);
  INFO(r.describe());
  CHECK_FALSE(r.timed_out);
  CHECK(r.err.find("lost the connection") != std::string::npos);  // said, then ridden out
  REQUIRE(lines_of(r.out).size() == 1);
  const JsonValue report = parse_json(r.out);
  CHECK(as_int(report.at("messages")) > 0);
}

}  // namespace strata::it
