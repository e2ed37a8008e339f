// Issue 23 against a real broker: timestamp bounds refuse a batch whole with
// INVALID_TIMESTAMP and a message with the numbers, so a producer clock ten
// years ahead no longer stops retention; a LogAppendTime topic reads back
// and expires by the broker's clock; `strata topic describe --retention`
// names what keeps each partition's oldest segment.
#include <thread>

#include "protocol/batch_builder.h"
#include "tests/integration/cli_test_util.h"

namespace strata::it {

using namespace cli_tests;
using protocol::ErrorCode;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kTenYearsMs = 3653 * kDayMs;

// One record per timestamp.
std::vector<std::uint8_t> batch_at(std::initializer_list<std::int64_t> timestamps) {
  protocol::BatchBuilder builder;
  for (const std::int64_t ts : timestamps) builder.add(ts, protocol::as_bytes("k"), protocol::as_bytes("v"));
  return builder.finish();
}

std::int64_t log_start(WireClient& c, const std::string& topic) {
  return static_cast<std::int64_t>(c.list_offset(topic, 0, kEarliestOffset).offset);
}

// A broker whose retention pass runs every 100 ms.
std::vector<std::string> fast_retention() { return {"--retention-check-interval-ms", "100"}; }

}  // namespace

TEST_SUITE("timestamps") {

TEST_CASE("a batch stamped ten years ahead is refused with INVALID_TIMESTAMP and retention keeps working") {
  BrokerFixture f(fast_retention());
  auto c = f.client();
  // The report's topic, with the default message.timestamp.after.max.ms.
  REQUIRE(c->create_topic("t", 1, {{"retention.ms", "2000"}, {"segment.ms", "300"}}).error == ErrorCode::none);
  CHECK(config_value(*c, "t", "message.timestamp.after.max.ms") == "3600000");
  const std::int64_t now = now_ms();
  REQUIRE(c->produce("t", 0, batch_at({now})).error == ErrorCode::none);
  const auto refused = c->produce("t", 0, batch_at({now, now + kTenYearsMs}));
  CHECK(refused.error == ErrorCode::invalid_timestamp);
  CHECK(static_cast<int>(refused.error) == 23);
  INFO(refused.message);
  CHECK(refused.message.find("record timestamp " + std::to_string(now + kTenYearsMs)) != std::string::npos);
  CHECK(refused.message.find("the broker's clock ") != std::string::npos);
  CHECK(refused.message.find("message.timestamp.after.max.ms=3600000") != std::string::npos);
  CHECK(c->list_offset("t", 0, kLatestOffset).offset == 1);  // nothing of it was stored

  // Later records, as in the report: retention deletes them as they age.
  for (int i = 0; i < 8; ++i) {
    std::this_thread::sleep_for(250ms);
    REQUIRE(c->produce("t", 0, batch_at({now_ms()})).error == ErrorCode::none);
  }
  CHECK(eventually([&] { return log_start(*c, "t") >= 5; }, 10s));
}

TEST_CASE("a 1970 timestamp is refused when message.timestamp.before.max.ms is set") {
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("t", 1).error == ErrorCode::none);
  REQUIRE(c->produce("t", 0, batch_at({0})).error == ErrorCode::none);  // no bound by default
  REQUIRE(c->alter_configs("t", {{"message.timestamp.before.max.ms", "604800000"}}).error == ErrorCode::none);
  const auto refused = c->produce("t", 0, batch_at({now_ms(), 0}));
  CHECK(refused.error == ErrorCode::invalid_timestamp);
  INFO(refused.message);
  CHECK(refused.message.find("record timestamp 0 (1970-01-01T00:00:00.000Z) is behind") != std::string::npos);
  CHECK(refused.message.find("message.timestamp.before.max.ms=604800000") != std::string::npos);
  CHECK(c->list_offset("t", 0, kLatestOffset).offset == 1);
}

TEST_CASE("LogAppendTime: records read back with the broker's time and expire by it, whatever producers stamp") {
  BrokerFixture f(fast_retention());
  auto c = f.client();
  // Same retention; one keeps the producer's (stale) time, one the broker's.
  const std::vector<protocol::ConfigEntry> retention{{"retention.ms", "3000"}, {"segment.ms", "100"}};
  REQUIRE(c->create_topic("create", 1, retention).error == ErrorCode::none);
  auto append_time = retention;
  append_time.push_back({"message.timestamp.type", "LogAppendTime"});
  REQUIRE(c->create_topic("append", 1, append_time).error == ErrorCode::none);
  CHECK(config_value(*c, "append", "message.timestamp.type") == "LogAppendTime");

  const std::int64_t stale = now_ms() - 30 * kDayMs;
  const std::int64_t before = now_ms();
  for (int i = 0; i < 3; ++i) {
    for (const char* topic : {"create", "append"}) {
      REQUIRE(c->produce(topic, 0, batch_at({stale + i, stale + i + 1})).error == ErrorCode::none);
    }
    std::this_thread::sleep_for(150ms);  // past segment.ms: the next batch rolls
  }
  const std::int64_t after = now_ms();

  // Every reader reports the append time: the raw fetch, and the library's consumer.
  const auto raw = read_partition(*c, "append", 0);
  REQUIRE(raw.size() == 6);
  for (const auto& [offset, rec] : raw) {
    CAPTURE(offset);
    CHECK(rec.timestamp >= before);
    CHECK(rec.timestamp <= after);
  }
  Client lib({"127.0.0.1:" + std::to_string(f.broker->port())});
  const auto consumed = consume_all(lib, "append", {0}, StartPosition::earliest());
  REQUIRE(consumed.size() == 6);
  for (const auto& r : consumed) CHECK(r.timestamp >= before);
  // ListOffsets by time goes by the append time too.
  CHECK(c->list_offset("append", 0, before).offset == 0);

  // CreateTime: records stamped 30 days ago go at the next passes. LogAppendTime:
  // they stay until 3 s after their append.
  CHECK(eventually([&] { return log_start(*c, "create") == 6; }, 5s));
  const std::int64_t checked_at = now_ms();
  const std::int64_t kept = log_start(*c, "append");
  if (checked_at - after < 2500) CHECK(kept == 0);  // this machine was fast enough to look in time
  CHECK(eventually([&] { return log_start(*c, "append") == 6; }, 10s));
}

TEST_CASE("strata topic describe --retention names each rule that keeps a partition's oldest segment") {
  ClientFixture f({"--retention-check-interval-ms", "100"});
  auto c = f.broker.client();
  auto make = [&](const std::string& topic, std::vector<protocol::ConfigEntry> configs, bool future) {
    configs.push_back({"segment.ms", "100"});
    configs.push_back({"message.timestamp.after.max.ms", "-1"});
    REQUIRE(c->create_topic(topic, 1, configs).error == ErrorCode::none);
    REQUIRE(c->produce(topic, 0, batch_at({future ? now_ms() + kTenYearsMs : now_ms()})).error == ErrorCode::none);
    std::this_thread::sleep_for(200ms);
    REQUIRE(c->produce(topic, 0, batch_at({now_ms()})).error == ErrorCode::none);  // rolls: the first is closed
  };
  REQUIRE(c->create_topic("active", 1).error == ErrorCode::none);
  REQUIRE(c->produce("active", 0, batch_at({now_ms()})).error == ErrorCode::none);
  make("time", {{"retention.ms", "604800000"}}, false);
  make("size", {{"retention.ms", "-1"}, {"retention.bytes", "1073741824"}}, false);
  make("future", {{"retention.ms", "604800000"}}, true);

  struct Case {
    const char* topic;
    const char* reason;  // the start of the text
    const char* json;
  };
  const Case cases[] = {{"active", "active segment", "active_segment"},
                        {"time", "time: expires in 6d 23h", "time"},
                        {"size", "size: within retention.bytes", "size"},
                        {"future", "held by a future timestamp: 20", "future_timestamp"}};
  for (const auto& k : cases) {
    CAPTURE(k.topic);
    const auto text = f.cli({"topic", "describe", k.topic, "--retention"});
    INFO(text.describe());
    REQUIRE(text.code == 0);
    CHECK(text.out.find(std::string("  ") + k.reason) != std::string::npos);

    const auto json = f.cli({"topic", "describe", k.topic, "--retention", "--format", "json"});
    INFO(json.describe());
    REQUIRE(json.code == 0);
    const JsonValue doc = parse_json(json.out);
    CHECK(doc.at("topic").get<std::string>() == k.topic);
    REQUIRE(doc.at("partitions").size() == 1);
    const JsonValue& p = doc.at("partitions")[0];
    CHECK(p.at("reason").get<std::string>() == k.json);
    CHECK(p.at("reason_text").get<std::string>().starts_with(k.reason));
    CHECK(as_int(p.at("oldest_base_offset")) == 0);
    CHECK(as_int(p.at("oldest_size_bytes")) > 61);  // at least a batch header
    CHECK(as_int(p.at("segments")) == (std::string(k.topic) == "active" ? 1 : 2));
  }
  const auto missing = f.cli({"topic", "describe", "nope", "--retention"});
  CHECK(missing.code != 0);
  CHECK(missing.err.find("UNKNOWN_TOPIC") != std::string::npos);
}

}  // TEST_SUITE

}  // namespace strata::it
