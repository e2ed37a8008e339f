// Integration tests of the `strata` command-line client against a real
// strata-broker: every command run as a process with arguments and stdin,
// its stdout, stderr and exit code checked.
#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <ctime>
#include <fstream>
#include <map>
#include <random>

#include "protocol/partitioner.h"
#include "protocol/record.h"
#include "tests/integration/client_test_util.h"

namespace strata::it {
namespace {

using client::Header;
using client::Producer;
using client::ProducerRecord;
using client::StartPosition;

// Epoch ms as ISO 8601: "2026-11-21T18:00:00.250Z", or in a fixed UTC
// offset ("+01:00") naming the same instant.
std::string iso8601(std::int64_t ms, int offset_minutes = 0) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000 + offset_minutes * 60);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  std::string out = buf;
  if (offset_minutes == 0) {
    out += 'Z';
  } else {
    const int m = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
    out += buf;
  }
  return out;
}

// Produces values to one partition with the library, flushed.
void produce_values(client::Client& c, const std::string& topic, std::uint32_t partition,
                    const std::vector<std::string>& values, std::size_t flush_every = 0) {
  ScopedProducer kept(c);
  Producer& producer = *kept;
  for (std::size_t i = 0; i < values.size(); ++i) {
    ProducerRecord r;
    r.topic = topic;
    r.value = values[i];
    r.partition = partition;
    producer.send(r);
    if (flush_every != 0 && i % flush_every == flush_every - 1) producer.flush();
  }
  producer.flush();
}

// The lines of `strata consume --format json` output, parsed, sorted by
// (partition, offset).
struct JsonRecord {
  std::string topic;
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
  std::int64_t timestamp = 0;
  JsonValue object;
};
std::vector<JsonRecord> parse_json_lines(const std::string& out) {
  std::vector<JsonRecord> records;
  for (const auto& line : lines_of(out)) {
    JsonRecord r;
    r.object = parse_json(line);
    r.topic = r.object.at("topic").text;
    r.partition = static_cast<std::uint32_t>(r.object.at("partition").as_int());
    r.offset = static_cast<std::uint64_t>(r.object.at("offset").as_int());
    r.timestamp = r.object.at("timestamp").as_int();
    records.push_back(std::move(r));
  }
  std::sort(records.begin(), records.end(), [](const JsonRecord& a, const JsonRecord& b) {
    return std::tie(a.partition, a.offset) < std::tie(b.partition, b.offset);
  });
  return records;
}

std::vector<std::string> slice(const std::vector<std::string>& v, std::size_t from, std::size_t to) {
  return {v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(to)};
}

// A failed command: the exit code, and one line "strata: ..." on stderr.
void check_one_line_error(const ProcessResult& r, int expected_code, const std::vector<std::string>& needles) {
  INFO(r.describe());
  CHECK_FALSE(r.timed_out);
  CHECK(r.exited);
  CHECK(r.code == expected_code);
  CHECK(r.out.empty());
  CHECK(r.err.starts_with("strata: "));
  CHECK(r.err.ends_with("\n"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  for (const auto& n : needles) CHECK_MESSAGE(r.err.find(n) != std::string::npos, "stderr lacks '" << n << "'");
}

// `strata offsets TOPIC` as {partition: {earliest, latest}}.
std::map<std::uint32_t, std::pair<std::int64_t, std::int64_t>> parse_offsets(const std::string& out) {
  std::map<std::uint32_t, std::pair<std::int64_t, std::int64_t>> table;
  const auto lines = lines_of(out);
  if (lines.empty() || lines[0] != "partition\tearliest\tlatest") {
    throw std::runtime_error("unexpected `strata offsets` output: " + out);
  }
  for (std::size_t i = 1; i < lines.size(); ++i) {
    unsigned p = 0;
    long long e = 0, l = 0;
    if (std::sscanf(lines[i].c_str(), "%u\t%lld\t%lld", &p, &e, &l) != 3) {
      throw std::runtime_error("unexpected `strata offsets` line: " + lines[i]);
    }
    table[p] = {e, l};
  }
  return table;
}

}  // namespace

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
    if (key) CHECK(by_value[value].second == protocol::partition_for_key(protocol::as_bytes(*key), 3));
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
  CHECK(earliest == f.client->list_offset(topic, 0, protocol::kEarliestTimestamp));
  // Roughly 3 KiB of 1 KiB segments remain.
  CHECK(300 - earliest <= 60);

  // Consuming from the earliest offset starts there.
  const auto r = f.cli({"consume", topic});
  REQUIRE_MESSAGE(r.code == 0, r.describe());
  CHECK(lines_of(r.out) == slice(values, static_cast<std::size_t>(earliest), values.size()));
  // An offset retention deleted is reported, not silently skipped.
  check_one_line_error(f.cli({"consume", topic, "--partition", "0", "--offset", "0"}), 1, {"OFFSET_OUT_OF_RANGE"});
}

TEST_CASE("strata CLI: consume --format json keeps binary keys and values byte for byte") {
  ClientFixture f;
  const std::string topic = "binary";
  f.client->create_topic(topic, 1);

  struct Case {
    std::optional<std::string> key;
    std::optional<std::string> value;
    bool key_base64 = false;    // expected as {"base64":...}: not UTF-8
    bool value_base64 = false;
    std::vector<Header> headers;
  };
  using namespace std::string_literals;
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes += static_cast<char>(b);
  std::string controls;
  for (int b = 1; b < 0x20; ++b) controls += static_cast<char>(b);
  controls += '\x7f';
  std::mt19937 rng(42);
  std::string random_bytes = "\xff"s;
  for (int i = 0; i < 10000; ++i) random_bytes += static_cast<char>(rng() & 0xFF);

  std::vector<Case> cases{
      {"nul\0key"s, "\0"s, false, false, {}},
      {"\xff\xfe"s, "a\xff"s "b"s, true, true, {}},
      {"quote\"back\\slash/"s, "line1\nline2\r\n\ttab\b\f end"s, false, false, {}},
      {std::nullopt, "null key"s, false, false, {}},
      {"\xc3\xa9 \xc3\xbc \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89"s, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"s,
       false, false, {}},
      {""s, ""s, false, false, {}},
      {"null value"s, std::nullopt, false, false, {}},
      {"controls"s, controls, false, false, {}},
      {"all bytes"s, all_bytes, false, true, {}},
      {"overlong"s, "\xc0\x80"s, false, true, {}},
      {"surrogate"s, "\xed\xa0\x80"s, false, true, {}},
      {"too big"s, "\xf4\x90\x80\x80"s, false, true, {}},
      {"truncated"s, "ok\xe6\x97"s, false, true, {}},
      {"lone continuation"s, "\x80"s, false, true, {}},
      {"random"s, random_bytes, false, true, {}},
      {"looks like json"s, "\"},{\"base64\":\"AAAA\"}"s, false, false, {}},
      {"with headers"s, "hv"s, false, false, {{"h-text", "plain \"quoted\""}, {"h-bin", "\0\xff"s}}},
  };
  const std::int64_t ts = now_ms() - 1000;
  {
    ScopedProducer kept(*f.client);
    Producer& producer = *kept;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      ProducerRecord r;
      r.topic = topic;
      if (cases[i].key) r.key = *cases[i].key;
      if (cases[i].value) r.value = *cases[i].value;
      r.headers = cases[i].headers;
      r.timestamp = ts + static_cast<std::int64_t>(i);
      r.partition = 0;
      producer.send(r);
    }
    producer.flush();
  }

  const auto r = f.cli({"consume", topic, "--format", "json"});
  REQUIRE_MESSAGE(r.code == 0, r.describe());
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == cases.size());  // no raw newline inside a line
  for (std::size_t i = 0; i < cases.size(); ++i) {
    CAPTURE(i);
    INFO("line: " << printable(lines[i]));
    JsonValue obj;
    REQUIRE_NOTHROW(obj = parse_json(lines[i]));
    CHECK(obj.at("topic").text == topic);
    CHECK(obj.at("partition").as_int() == 0);
    CHECK(obj.at("offset").as_int() == static_cast<std::int64_t>(i));
    CHECK(obj.at("timestamp").as_int() == ts + static_cast<std::int64_t>(i));
    bool key_b64 = false, value_b64 = false;
    const auto key = json_field_bytes(obj.at("key"), &key_b64);
    const auto value = json_field_bytes(obj.at("value"), &value_b64);
    CHECK_MESSAGE(key == cases[i].key, "key " << printable(key.value_or("(null)")) << " expected "
                                              << printable(cases[i].key.value_or("(null)")));
    CHECK_MESSAGE(value == cases[i].value, "value " << printable(value.value_or("(null)")).substr(0, 200)
                                                    << " expected "
                                                    << printable(cases[i].value.value_or("(null)")).substr(0, 200));
    CHECK(obj.at("key").is_null() == !cases[i].key.has_value());
    CHECK(obj.at("value").is_null() == !cases[i].value.has_value());
    CHECK(key_b64 == cases[i].key_base64);
    CHECK(value_b64 == cases[i].value_base64);
    // Headers are [name, value] pairs (names need not be UTF-8 or unique).
    const JsonValue& headers = obj.at("headers");
    REQUIRE(headers.type == JsonValue::Type::array);
    REQUIRE(headers.elements.size() == cases[i].headers.size());
    for (std::size_t h = 0; h < headers.elements.size(); ++h) {
      const JsonValue& pair = headers.elements[h];
      REQUIRE(pair.type == JsonValue::Type::array);
      REQUIRE(pair.elements.size() == 2);
      CHECK(json_field_bytes(pair.elements[0]) == cases[i].headers[h].name);
      CHECK(json_field_bytes(pair.elements[1]) == cases[i].headers[h].value);
    }
  }
  // The exact rendering of a few simple cases.
  CHECK(lines[0].find(",\"key\":\"nul\\u0000key\",\"value\":\"\\u0000\",") != std::string::npos);
  CHECK(lines[1].find(",\"key\":{\"base64\":\"//4=\"},\"value\":{\"base64\":\"Yf9i\"},") != std::string::npos);
  CHECK(lines[3].find(",\"key\":null,\"value\":\"null key\",") != std::string::npos);
  CHECK(lines[6].find(",\"value\":null,") != std::string::npos);
  CHECK(lines[16].ends_with(",\"headers\":[[\"h-text\",\"plain \\\"quoted\\\"\"],[\"h-bin\",{\"base64\":\"AP8=\"}]]}"));
}

TEST_CASE("strata CLI: consume --format json stays valid JSON for header names that are not UTF-8") {
  ClientFixture f;
  const std::string topic = "binary-headers";
  f.client->create_topic(topic, 1);
  const std::vector<Header> headers{{"\xff\xfe", "v"}};
  {
    ScopedProducer kept(*f.client);
    Producer& producer = *kept;
    ProducerRecord r;
    r.topic = topic;
    r.value = "payload";
    r.headers = headers;
    producer.send(r);
    producer.flush();
  }
  const auto r = f.cli({"consume", topic, "--format", "json"});
  REQUIRE_MESSAGE(r.code == 0, r.describe());
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 1);
  INFO("line: " << printable(lines[0]));
  JsonValue obj;
  REQUIRE_NOTHROW(obj = parse_json(lines[0]));  // one JSON object per line, whatever the bytes
  CHECK(json_field_bytes(obj.at("value")) == "payload");
  const JsonValue& pair = obj.at("headers").elements.at(0);
  CHECK(json_field_bytes(pair.elements.at(0)) == "\xff\xfe");
  CHECK(json_field_bytes(pair.elements.at(1)) == "v");
}

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
    for (const std::string bad : {"abc", "12x", "-5", "", "1e3"}) {
      CAPTURE(bad);
      check_one_line_error(f.cli({"consume", topic, "--offset", bad}), 2, {"--offset", "'" + bad + "'"});
    }
  }
  SUBCASE("offset past the log end") {
    // The library reports OFFSET_OUT_OF_RANGE here, and so does the CLI when
    // the offset is past the end of another partition of the topic.
    check_one_line_error(f.cli({"consume", topic, "--partition", "0", "--offset", "3"}), 1,
                         {"OFFSET_OUT_OF_RANGE", "0..2"});
    check_one_line_error(f.cli({"consume", topic, "--offset", "3"}), 1, {"OFFSET_OUT_OF_RANGE"});
  }
  SUBCASE("bad size") {
    check_one_line_error(f.cli({"topic", "create", "sized", "--partitions", "1", "--retention-bytes", "12XB"}), 2,
                         {"--retention-bytes", "'12XB'", "not a size"});
    CHECK(f.client->metadata({"sized"})[0].error == protocol::ErrorCode::unknown_topic);  // nothing created
    check_one_line_error(f.cli({"topic", "alter", topic, "--segment-bytes", "-5"}), 2, {"--segment-bytes", "'-5'"});
    check_one_line_error(f.cli({"topic", "alter", topic, "--max-message-bytes", "1.5MiB"}), 2,
                         {"--max-message-bytes", "'1.5MiB'"});
  }
  SUBCASE("bad duration") {
    check_one_line_error(f.cli({"topic", "alter", topic, "--retention-ms", "5y"}), 2,
                         {"--retention-ms", "'5y'", "not a duration"});
    check_one_line_error(f.cli({"produce", topic, "--linger", "soon"}, "x\n"), 2, {"--linger", "'soon'"});
    // Nothing was altered.
    for (const auto& c : f.client->describe_configs(topic)) {
      if (c.key == "retention.ms") CHECK(c.value == "604800000");
    }
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
    check_one_line_error(f.cli({"consume"}), 2, {"consume", "required"});
    check_one_line_error(f.cli({"topic", "create", "newtopic"}), 2, {"topic create", "partitions", "required"});
    check_one_line_error(f.cli({"partition-for", topic}), 2, {"partition-for", "required"});
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
    CHECK(f.client->list_offset(topic, 0, protocol::kLatestTimestamp) == 2);  // nothing was written
    CHECK(f.client->list_offset(topic, 1, protocol::kLatestTimestamp) == 0);
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

}  // namespace strata::it
