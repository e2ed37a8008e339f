// Integration tests of `strata produce` and `strata consume` against a real
// broker: round trip with keys and --file, --offset tails, --from-time,
// --follow.
#include "tests/integration/cli_test_util.h"

namespace strata::it {

using namespace cli_tests;

TEST_CASE("strata CLI: produce and consume round trip, keys, --file, STRATA_BROKER") {
  ClientFixture f;
  {
    const auto r = f.cli({"topic", "create", "roundtrip", "--partitions", "3"});
    REQUIRE_MESSAGE(r.code == 0, r.describe());
    CHECK(r.out == "created topic roundtrip with 3 partitions\n");
  }
  {
    const auto r = f.cli({"produce", "roundtrip", "--key-separator", ":", "--acks", "durable"},
                         "alice:hello\nbob:world:again\nno separator here\n");
    REQUIRE_MESSAGE(r.code == 0, r.describe());
    CHECK(r.err == "sent 3 of 3 messages to roundtrip\n");
  }
  {
    TempDir dir;
    const auto path = dir.path() / "in.txt";
    std::ofstream(path) << "f1\nf2\n";
    const auto r = f.cli({"produce", "roundtrip", "--key", "filekey", "--file", path.string()});
    REQUIRE_MESSAGE(r.code == 0, r.describe());
    CHECK(r.err == "sent 2 of 2 messages to roundtrip\n");
  }
  const auto r = f.cli({"consume", "roundtrip", "--format", "json"});
  REQUIRE_MESSAGE(r.code == 0, r.describe());
  const auto records = parse_json_lines(r.out);
  REQUIRE(records.size() == 5);
  std::map<std::string, std::pair<std::optional<std::string>, std::uint32_t>> by_value;  // value -> key, partition
  for (const auto& rec : records) {
    CHECK(rec.topic == "roundtrip");
    by_value[*json_field_bytes(rec.object.at("value"))] = {json_field_bytes(rec.object.at("key")), rec.partition};
  }
  auto expect = [&](const std::string& value, std::optional<std::string> key) {
    CAPTURE(value);
    REQUIRE(by_value.count(value) == 1);
    CHECK(by_value[value].first == key);
    if (key) CHECK(by_value[value].second == strata::partition_for_key(*key, 3));
  };
  expect("hello", "alice");
  expect("world:again", "bob");  // split at the first separator only
  expect("no separator here", std::nullopt);
  expect("f1", "filekey");
  expect("f2", "filekey");

  // STRATA_BROKER is used when --broker is absent.
  const auto listed = run_strata("", {"topic", "list"}, "", 20s, {{"STRATA_BROKER", f.address}});
  CHECK_MESSAGE(listed.code == 0, listed.describe());
  CHECK(listed.out.starts_with("roundtrip\t3 partitions\t"));
}

TEST_CASE("strata CLI: consume --partition P --offset N prints exactly the tail") {
  ClientFixture f;
  const std::string topic = "middle";
  f.client->create_topic(topic, 2);
  std::vector<std::string> values;
  for (int i = 0; i < 300; ++i) values.push_back("m-" + std::to_string(i));
  produce_values(*f.client, topic, 1, values, 100);
  produce_values(*f.client, topic, 0, {"zero-a", "zero-b"});

  for (const std::size_t start : {150u, 100u, 0u, 299u}) {
    CAPTURE(start);
    const auto r = f.cli({"consume", topic, "--partition", "1", "--offset", std::to_string(start)});
    REQUIRE_MESSAGE(r.code == 0, r.describe());
    CHECK(lines_of(r.out) == slice(values, start, values.size()));
  }
  {
    const auto r = f.cli({"consume", topic, "--partition", "1", "--offset", "150", "--count", "5"});
    REQUIRE_MESSAGE(r.code == 0, r.describe());
    CHECK(lines_of(r.out) == slice(values, 150, 155));
  }
  for (const std::string at : {"300", "latest"}) {
    CAPTURE(at);
    const auto r = f.cli({"consume", topic, "--partition", "1", "--offset", at}, "", 10s);
    CHECK_MESSAGE(r.code == 0, r.describe());
    CHECK(r.out.empty());
  }
  {
    // --format json carries the partition and offset of each message.
    const auto r = f.cli({"consume", topic, "-p", "1", "-o", "290", "--format", "json"});
    REQUIRE_MESSAGE(r.code == 0, r.describe());
    const auto records = parse_json_lines(r.out);
    REQUIRE(records.size() == 10);
    for (std::size_t i = 0; i < records.size(); ++i) {
      CHECK(records[i].partition == 1);
      CHECK(records[i].offset == 290 + i);
      CHECK(json_field_bytes(records[i].object.at("value")) == values[290 + i]);
    }
  }
  {
    // The same start offset applies to every partition when none is named.
    const auto r = f.cli({"consume", topic, "--offset", "1", "--format", "json"});
    REQUIRE_MESSAGE(r.code == 0, r.describe());
    const auto records = parse_json_lines(r.out);
    REQUIRE(records.size() == 1 + 299);
    CHECK(records[0].partition == 0);
    CHECK(json_field_bytes(records[0].object.at("value")) == "zero-b");
    CHECK(records[1].offset == 1);
    CHECK(records.back().offset == 299);
  }
}

TEST_CASE("strata CLI: consume --from-time prints exactly the messages at or after the time") {
  ClientFixture f;
  const std::string topic = "times";
  f.client->create_topic(topic, 2);
  // Two groups with the producer's own timestamps (now), apart in time.
  std::vector<std::string> early, late;
  for (int i = 0; i < 20; ++i) {
    early.push_back("early-" + std::to_string(i));
    late.push_back("late-" + std::to_string(i));
  }
  const std::int64_t before_all = now_ms() - 1;
  produce_values(*f.client, topic, 0, slice(early, 0, 10));
  produce_values(*f.client, topic, 1, slice(early, 10, 20));
  std::this_thread::sleep_for(50ms);
  const std::int64_t between = now_ms();
  std::this_thread::sleep_for(50ms);
  produce_values(*f.client, topic, 0, slice(late, 0, 10));
  produce_values(*f.client, topic, 1, slice(late, 10, 20));
  std::this_thread::sleep_for(20ms);
  const std::int64_t after_all = now_ms() + 1;

  auto values_from = [&](const std::string& time) {
    const auto r = f.cli({"consume", topic, "--from-time", time, "--format", "json"});
    INFO(r.describe());
    REQUIRE(r.code == 0);
    std::vector<std::string> out;
    for (const auto& rec : parse_json_lines(r.out)) out.push_back(*json_field_bytes(rec.object.at("value")));
    return out;
  };
  std::vector<std::string> late_sorted = slice(late, 0, 10);
  late_sorted.insert(late_sorted.end(), late.begin() + 10, late.end());
  std::vector<std::string> all = slice(early, 0, 10);
  all.insert(all.end(), late.begin(), late.begin() + 10);
  all.insert(all.end(), early.begin() + 10, early.end());
  all.insert(all.end(), late.begin() + 10, late.end());

  CHECK(values_from(std::to_string(between)) == late_sorted);   // epoch ms
  CHECK(values_from(iso8601(between)) == late_sorted);          // ISO 8601, UTC, with ms
  CHECK(values_from(iso8601(between, 60)) == late_sorted);      // the same instant at +01:00
  CHECK(values_from(iso8601(between, -330)) == late_sorted);    // and at -05:30
  CHECK(values_from(std::to_string(before_all)) == all);
  CHECK(values_from("2000-01-01") == all);                      // a date alone
  CHECK(values_from(std::to_string(after_all)).empty());

  // Exactly at a record's timestamp includes that record.
  const auto first_late = consume_all(*f.client, topic, {0}, StartPosition::at(10));
  REQUIRE_FALSE(first_late.empty());
  const auto exact = values_from(std::to_string(first_late[0].timestamp));
  REQUIRE_FALSE(exact.empty());
  CHECK(exact[0] == "late-0");

  // `strata offsets --at-time` agrees with the library.
  const auto r = f.cli({"offsets", topic, "--at-time", std::to_string(between)});
  REQUIRE_MESSAGE(r.code == 0, r.describe());
  CHECK(r.out == "partition\toffset at " + iso8601(between) + "\n0\t10\n1\t10\n");
}

TEST_CASE("strata CLI: consume --follow prints a message produced after it started and exits on SIGINT") {
  ClientFixture f;
  const std::string topic = "follow";
  f.client->create_topic(topic, 2);
  produce_values(*f.client, topic, 0, {"before"});

  ChildProcess follower({strata_cli_binary(), "--broker", f.address, "consume", topic, "--follow"});
  REQUIRE_MESSAGE(follower.wait_for_out("before\n", 10s), "stdout: " << follower.out() << " stderr: " << follower.err());
  std::this_thread::sleep_for(200ms);
  REQUIRE(follower.running());  // --follow does not stop at the log end

  const auto produced = f.cli({"produce", topic, "--partition", "1"}, "after-start-1\n");
  REQUIRE_MESSAGE(produced.code == 0, produced.describe());
  CHECK_MESSAGE(follower.wait_for_out("after-start-1\n", 10s), "stdout: " << follower.out());
  produce_values(*f.client, topic, 0, {"after-start-2"});
  CHECK_MESSAGE(follower.wait_for_out("after-start-2\n", 10s), "stdout: " << follower.out());

  follower.signal(SIGINT);
  const auto result = follower.wait(5s);
  INFO(result.describe());
  CHECK_FALSE(result.timed_out);
  CHECK(result.exited);
  CHECK(result.code == 0);
  CHECK(result.out == "before\nafter-start-1\nafter-start-2\n");
}

// Issue 16: --follow exited with "lost the connection" when the broker
// restarted. It reconnects with backoff, says so on stderr, and resumes at
// the next offset: nothing printed twice, nothing skipped.
TEST_CASE("strata CLI: consume --follow rides out a broker restart and resumes at the next offset") {
  ClientFixture f;
  const std::string topic = "restarts";
  f.client->create_topic(topic, 1);
  produce_values(*f.client, topic, 0, {"r1", "r2"});
  ChildProcess follower({strata_cli_binary(), "consume", topic, "--follow", "-b", f.address});
  REQUIRE_MESSAGE(follower.wait_for_out("r2\n", 10s), "stderr: " << follower.err());
  f.broker.broker->stop(SIGTERM);
  CHECK_MESSAGE(follower.wait_for_err("reconnecting in", 10s), "stderr: " << follower.err());
  std::this_thread::sleep_for(500ms);  // a few attempts fail while it is down
  CHECK(follower.running());
  f.broker.restart({"--listen", f.address});
  Client again(ClientOptions{f.address});
  produce_values(again, topic, 0, {"r3"});
  CHECK_MESSAGE(follower.wait_for_out("r3\n", 15s), "stderr: " << follower.err());
  CHECK(follower.wait_for_err("reconnected to " + f.address + "; resuming at the next offset", 5s));
  follower.signal(SIGINT);
  const auto result = follower.wait(10s);
  INFO(result.describe());
  CHECK(result.code == 0);
  CHECK(result.out == "r1\nr2\nr3\n");
}

// Issue 16: with auto.create.topics on, `strata produce` to a new topic
// failed with UNKNOWN_TOPIC, because the CLI asked for metadata first.
TEST_CASE("strata CLI: produce to a new topic creates it when the broker has auto.create.topics") {
  ClientFixture f({"--auto-create-topics", "true", "--partitions", "2"});
  const auto r = f.cli({"produce", "fresh", "-p", "1"}, "x1\nx2\n");
  REQUIRE_MESSAGE(r.code == 0, r.describe());
  CHECK(r.err.starts_with("sent 2 of 2 messages to fresh"));
  CHECK(f.client->describe_topic("fresh").partitions == 2);
  CHECK(f.cli({"consume", "fresh"}).out == "x1\nx2\n");
}

}  // namespace strata::it
