// Integration tests of `strata consume --format json`: binary keys, values
// and header names come through byte for byte as valid JSON.
#include "tests/integration/cli_test_util.h"

namespace strata::it {

using namespace cli_tests;

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
    CHECK(obj.at("topic").get<std::string>() == topic);
    CHECK(as_int(obj.at("partition")) == 0);
    CHECK(as_int(obj.at("offset")) == static_cast<std::int64_t>(i));
    CHECK(as_int(obj.at("timestamp")) == ts + static_cast<std::int64_t>(i));
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
    REQUIRE(headers.is_array());
    REQUIRE(headers.size() == cases[i].headers.size());
    for (std::size_t h = 0; h < headers.size(); ++h) {
      const JsonValue& pair = headers[h];
      REQUIRE(pair.is_array());
      REQUIRE(pair.size() == 2);
      CHECK(json_field_bytes(pair[0]) == cases[i].headers[h].name);
      CHECK(json_field_bytes(pair[1]) == cases[i].headers[h].value);
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
  const JsonValue& pair = obj.at("headers").at(0);
  CHECK(json_field_bytes(pair.at(0)) == "\xff\xfe");
  CHECK(json_field_bytes(pair.at(1)) == "v");
}

// Issue 16: `produce --header NAME=VALUE` (repeatable) puts the headers on
// every message; a header without '=' is a usage error naming it.
TEST_CASE("strata CLI: produce --header NAME=VALUE puts headers on every message") {
  ClientFixture f;
  REQUIRE(f.cli({"topic", "create", "hdr", "--partitions", "1"}).code == 0);
  const auto p = f.cli({"produce", "hdr", "--header", "trace=abc", "-H", "empty=", "-H", "eq=a=b"}, "m1\nm2\n");
  REQUIRE_MESSAGE(p.code == 0, p.describe());
  const auto r = f.cli({"consume", "hdr", "--format", "json"});
  REQUIRE_MESSAGE(r.code == 0, r.describe());
  const auto records = parse_json_lines(r.out);
  REQUIRE(records.size() == 2);
  for (const auto& rec : records) {
    const auto& headers = rec.object.at("headers");
    REQUIRE(headers.size() == 3);
    CHECK(json_field_bytes(headers[0].at(0)) == "trace");
    CHECK(json_field_bytes(headers[0].at(1)) == "abc");
    CHECK(json_field_bytes(headers[1].at(1)) == "");
    CHECK(json_field_bytes(headers[2].at(0)) == "eq");
    CHECK(json_field_bytes(headers[2].at(1)) == "a=b");
  }
  check_one_line_error(f.cli({"produce", "hdr", "--header", "novalue"}, "x\n"), 2, {"--header", "'novalue'"});
}

// Issue 16: --format json for every command that prints data.
TEST_CASE("strata CLI: --format json for topic list, topic describe, offsets and partition-for") {
  ClientFixture f;
  REQUIRE(f.cli({"topic", "create", "js", "--partitions", "2", "--retention-ms", "60000"}).code == 0);
  produce_values(*f.client, "js", 1, {"a", "b", "c"});
  auto one = [&](const std::vector<std::string>& args) {
    const auto r = f.cli(args);
    INFO(r.describe());
    REQUIRE(r.code == 0);
    REQUIRE(lines_of(r.out).size() == 1);
    return parse_json(r.out);
  };
  const auto list = one({"topic", "list", "--format", "json"});
  CHECK(list.at("topic").get<std::string>() == "js");
  CHECK(as_int(list.at("partitions")) == 2);
  CHECK(as_int(list.at("bytes")) > 0);
  const auto described = one({"topic", "describe", "js", "--format", "json"});
  REQUIRE(described.at("partitions").size() == 2);
  CHECK(as_int(described.at("partitions")[1].at("latest")) == 3);
  CHECK(as_int(described.at("partitions")[1].at("messages")) == 3);
  CHECK(described.at("configs").at("retention.ms").get<std::string>() == "60000");
  const auto offsets = one({"offsets", "js", "--format", "json"});
  REQUIRE(offsets.at("partitions").size() == 2);
  CHECK(as_int(offsets.at("partitions")[1].at("earliest")) == 0);
  CHECK(as_int(offsets.at("partitions")[1].at("latest")) == 3);
  const auto at = one({"offsets", "js", "--at-time", std::to_string(now_ms() + 3'600'000), "--format", "json"});
  CHECK(at.at("partitions")[0].at("offset").is_null());
  const auto key = one({"partition-for", "js", "user-7", "--format", "json"});
  CHECK(key.at("key").get<std::string>() == "user-7");
  CHECK(as_int(key.at("partitions")) == 2);
  CHECK(as_int(key.at("partition")) == std::stoi(f.cli({"partition-for", "js", "user-7"}).out));
  check_one_line_error(f.cli({"offsets", "js", "--format", "yaml"}), 2, {"--format must be text or json", "'yaml'"});
}

// Issue 16: a kcat-style format string shows keys, offsets and headers in
// text.
TEST_CASE("strata CLI: consume --format with %t %p %o %k %s %T %h") {
  ClientFixture f;
  REQUIRE(f.cli({"topic", "create", "fmt", "--partitions", "1"}).code == 0);
  REQUIRE(f.cli({"produce", "fmt", "--key-separator", ":", "-H", "h1=v1", "-H", "h2=v2"}, "k1:one\nk2:two\n").code == 0);
  const auto r = f.cli({"consume", "fmt", "--format", "%t/%p@%o key=%k value=%s [%h] 100%%\\n"});
  INFO(r.describe());
  CHECK(r.code == 0);
  CHECK(r.out == "fmt/0@0 key=k1 value=one [h1=v1,h2=v2] 100%\nfmt/0@1 key=k2 value=two [h1=v1,h2=v2] 100%\n");
  const auto t = f.cli({"consume", "fmt", "-n", "1", "--format", "%T\\n"});
  CHECK(std::stoll(t.out) > 1'700'000'000'000LL);
  check_one_line_error(f.cli({"consume", "fmt", "--format", "%q"}), 2, {"unknown directive '%q'"});
}

}  // namespace strata::it
