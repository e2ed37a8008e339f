// Integration tests of every error code a client can provoke, against a
// real strata-broker process spoken to in raw frames.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "protocol/record.h"
#include "protocol/record_batch.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

namespace fs = std::filesystem;
using protocol::Acks;
using protocol::ApiKey;
using protocol::ErrorCode;

std::map<std::string, std::string> config_map(const std::vector<protocol::ConfigEntry>& entries) {
  std::map<std::string, std::string> out;
  for (const auto& e : entries) out[e.key] = e.value;
  return out;
}

// Sends `frame`, expects a response with `error` in its header echoing
// `correlation_id`, with a message as its body.
void expect_header_error(WireClient& c, const std::vector<std::uint8_t>& frame, std::uint32_t correlation_id,
                         ErrorCode error) {
  c.send_bytes(frame);
  const ResponseFrame response = c.read_frame();
  CHECK(response.header.correlation_id == correlation_id);
  CHECK(response.header.error == error);
  CHECK_FALSE(response.error_message().empty());
}

}  // namespace

TEST_CASE("broker errors: UNKNOWN_TOPIC and UNKNOWN_PARTITION") {
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("present", 2).error == ErrorCode::none);
  const auto batch = make_batch(make_records("x", 0, 2, now_ms()));

  // Every API that names a topic.
  CHECK(c->produce("absent", 0, batch).error == ErrorCode::unknown_topic);
  CHECK(c->fetch_one("absent", 0, 0).error == ErrorCode::unknown_topic);
  CHECK(c->list_offset("absent", 0, protocol::kLatestTimestamp).error == ErrorCode::unknown_topic);
  CHECK(c->describe_configs("absent").error == ErrorCode::unknown_topic);
  CHECK(c->alter_configs("absent", {{"retention.ms", "1000"}}).error == ErrorCode::unknown_topic);
  CHECK(c->delete_topic("absent").error == ErrorCode::unknown_topic);
  {
    const auto md = c->metadata({"absent", "present"});
    REQUIRE(md.topics.size() == 2);
    CHECK(md.topics[0].name == "absent");
    CHECK(md.topics[0].error == ErrorCode::unknown_topic);
    CHECK(md.topics[0].partitions.empty());
    CHECK(md.topics[1].name == "present");
    CHECK(md.topics[1].error == ErrorCode::none);
    CHECK(md.topics[1].partitions.size() == 2);
  }
  // auto.create.topics is off by default: the produce created nothing.
  CHECK(c->metadata({"absent"}).topics.at(0).error == ErrorCode::unknown_topic);
  CHECK_FALSE(fs::exists(f.data_dir() / "absent"));

  // Partitions are 0..count-1.
  for (std::uint32_t p : {2u, 1000u, 0xFFFFFFFFu}) {
    CAPTURE(p);
    const auto res = c->produce("present", p, batch);
    CHECK(res.error == ErrorCode::unknown_partition);
    CHECK_FALSE(res.message.empty());
    CHECK(c->fetch_one("present", p, 0).error == ErrorCode::unknown_partition);
    CHECK(c->list_offset("present", p, protocol::kEarliestTimestamp).error == ErrorCode::unknown_partition);
  }
  // Nothing was appended anywhere, and the connection is still usable.
  for (std::uint32_t p = 0; p < 2; ++p) CHECK(c->list_offset("present", p, protocol::kLatestTimestamp).offset == 0);
  CHECK(c->produce("present", 1, batch).error == ErrorCode::none);
}

TEST_CASE("broker errors: OFFSET_OUT_OF_RANGE above the log end and below the log start after retention") {
  BrokerFixture f({"--retention-check-interval-ms", "200"});
  auto c = f.client();
  REQUIRE(c->create_topic("range", 1, {{"segment.bytes", "1024"}, {"retention.bytes", "2000"}}).error ==
          ErrorCode::none);
  const std::int64_t t0 = now_ms();
  std::uint64_t end = 0;
  for (int i = 0; i < 20; ++i) {
    const auto res = c->produce("range", 0, make_batch(make_records("r", end, 2, t0 + 2 * i, 150)));
    REQUIRE(res.error == ErrorCode::none);
    end += 2;
  }

  // Above the end (the end itself is fine: it is where a consumer waits).
  for (std::uint64_t offset : {end + 1, end + 1000, std::uint64_t{1} << 62}) {
    CAPTURE(offset);
    const auto fetched = c->fetch_one("range", 0, offset);
    CHECK(fetched.error == ErrorCode::offset_out_of_range);
    CHECK(fetched.records.empty());
  }
  CHECK(c->fetch_one("range", 0, end).error == ErrorCode::none);

  // Below the start once retention has deleted the oldest segments.
  std::int64_t earliest = 0;
  REQUIRE(eventually(
      [&] {
        earliest = c->list_offset("range", 0, protocol::kEarliestTimestamp).offset;
        return earliest > 0;
      },
      5000ms));
  INFO("log start after retention: " << earliest);
  for (std::uint64_t offset : {std::uint64_t{0}, static_cast<std::uint64_t>(earliest - 1)}) {
    CAPTURE(offset);
    const auto fetched = c->fetch_one("range", 0, offset);
    CHECK(fetched.error == ErrorCode::offset_out_of_range);
    CHECK(fetched.records.empty());
  }
  const auto ok = c->fetch_one("range", 0, static_cast<std::uint64_t>(earliest));
  REQUIRE(ok.error == ErrorCode::none);
  CHECK(ok.log_start == static_cast<std::uint64_t>(earliest));
  const auto d = decode_batches(ok.records);
  REQUIRE(!d.records.empty());
  CHECK(d.records[0].offset == static_cast<std::uint64_t>(earliest));
}

TEST_CASE("broker errors: CORRUPT_BATCH refuses the batch whole and leaves the partition unchanged") {
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("corrupt", 1).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();
  const auto good_records = make_records("good", 0, 3, t0);
  const auto good = make_batch(good_records);
  REQUIRE(c->produce("corrupt", 0, good).error == ErrorCode::none);
  const auto before = c->metadata({"corrupt"}).topics.at(0).partitions.at(0);
  REQUIRE(before.log_end == 3);

  const auto valid = make_batch(make_records("bad", 3, 4, t0 + 10, 40));
  namespace L = protocol::batch_layout;
  struct Damage {
    const char* what;
    std::size_t at;
    std::uint8_t xor_mask;
  };
  const Damage damages[] = {
      {"last byte of the record data", valid.size() - 1, 0x01},
      {"a byte in the middle of the records", L::kHeaderSize + 10, 0x80},
      {"crc", L::kCrc + 3, 0x10},
      {"magic", L::kMagic, 0x07},
      {"attributes", L::kAttributes + 1, 0x01},
      {"record count", L::kRecordCount + 3, 0x02},
      {"batch length", L::kBatchLength + 3, 0x04},
      {"base timestamp", L::kBaseTimestamp, 0x01},
      {"producer epoch", L::kProducerEpoch, 0x01},
  };
  for (const Damage& d : damages) {
    CAPTURE(d.what);
    auto bad = valid;
    bad[d.at] ^= d.xor_mask;
    const auto res = c->produce("corrupt", 0, bad);
    CHECK(res.error == ErrorCode::corrupt_batch);
    CHECK_FALSE(res.message.empty());
  }
  {
    // Truncated, and with a byte too many.
    auto shorter = valid;
    shorter.pop_back();
    CHECK(c->produce("corrupt", 0, shorter).error == ErrorCode::corrupt_batch);
    auto longer = valid;
    longer.push_back(0);
    CHECK(c->produce("corrupt", 0, longer).error == ErrorCode::corrupt_batch);
    const std::vector<std::uint8_t> tiny(10, 0);
    CHECK(c->produce("corrupt", 0, tiny).error == ErrorCode::corrupt_batch);
  }

  // The partition is exactly as before, on the API and on disk.
  const auto after = c->metadata({"corrupt"}).topics.at(0).partitions.at(0);
  CHECK(after == before);
  const auto log_size = fs::file_size(f.partition_dir("corrupt", 0) / "00000000000000000000.log");
  CHECK(log_size == good.size());
  const auto fetched = c->fetch_one("corrupt", 0, 0);
  REQUIRE(fetched.error == ErrorCode::none);
  const auto decoded = decode_batches(fetched.records);
  REQUIRE(decoded.records.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(decoded.records[i].rec == good_records[i]);

  // The untouched batch is accepted right after, at the next offset.
  const auto res = c->produce("corrupt", 0, valid);
  CHECK(res.error == ErrorCode::none);
  CHECK(res.base_offset == 3);
}

TEST_CASE("broker errors: BATCH_TOO_LARGE follows the topic's max.message.bytes, live") {
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("big", 1, {{"max.message.bytes", "1024"}}).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();
  const auto large = make_batch(make_records("L", 0, 10, t0, 200));
  const auto small = make_batch(make_records("S", 0, 2, t0, 100));
  REQUIRE(large.size() > 1024);
  REQUIRE(small.size() <= 1024);

  const auto refused = c->produce("big", 0, large);
  CHECK(refused.error == ErrorCode::batch_too_large);
  CHECK_FALSE(refused.message.empty());
  CHECK(c->list_offset("big", 0, protocol::kLatestTimestamp).offset == 0);
  const auto accepted = c->produce("big", 0, small);
  CHECK(accepted.error == ErrorCode::none);
  CHECK(accepted.base_offset == 0);

  // Raising the limit applies without a restart.
  REQUIRE(c->alter_configs("big", {{"max.message.bytes", "65536"}}).error == ErrorCode::none);
  const auto now_ok = c->produce("big", 0, large);
  CHECK(now_ok.error == ErrorCode::none);
  CHECK(now_ok.base_offset == 2);
  // And lowering it below a batch's size refuses that batch again; a batch
  // of exactly the limit is accepted.
  REQUIRE(c->alter_configs("big", {{"max.message.bytes", std::to_string(small.size() - 1)}}).error ==
          ErrorCode::none);
  CHECK(c->produce("big", 0, small).error == ErrorCode::batch_too_large);
  CHECK(c->list_offset("big", 0, protocol::kLatestTimestamp).offset == 12);
  REQUIRE(c->alter_configs("big", {{"max.message.bytes", std::to_string(small.size())}}).error == ErrorCode::none);
  const auto exact = c->produce("big", 0, small);
  CHECK(exact.error == ErrorCode::none);
  CHECK(exact.base_offset == 12);
}

TEST_CASE("broker errors: INVALID_REQUEST is answered in the header, then the connection closes") {
  BrokerFixture f;
  {
    auto setup = f.client();
    REQUIRE(setup->create_topic("t", 1).error == ErrorCode::none);
  }
  const std::uint8_t garbage[] = {0xde, 0xad, 0xbe, 0xef, 0x01};
  struct Case {
    const char* what;
    std::vector<std::uint8_t> frame;
    std::uint32_t correlation_id;
  };
  std::vector<Case> cases;
  cases.push_back({"produce with a garbage body", WireClient::raw_request_frame(6, 0, 71, garbage), 71});
  cases.push_back({"fetch with a garbage body", WireClient::raw_request_frame(7, 0, 72, garbage), 72});
  cases.push_back({"create topic with a garbage body", WireClient::raw_request_frame(2, 0, 73, garbage), 73});
  {
    const std::uint8_t extra[] = {1, 2, 3};
    cases.push_back({"api versions with bytes left over", WireClient::raw_request_frame(0, 0, 74, extra), 74});
  }
  {
    protocol::ByteWriter body;  // Metadata: a count of a million topics, none present
    body.fixed(std::uint32_t{1000000});
    cases.push_back({"metadata with a lying count", WireClient::raw_request_frame(1, 0, 75, body.buffer()), 75});
  }
  {
    protocol::ByteWriter body;  // Produce with acks = 7
    body.fixed(std::uint8_t{7});
    body.fixed(std::uint32_t{1000});
    body.fixed(std::uint32_t{0});
    cases.push_back({"produce with unknown acks", WireClient::raw_request_frame(6, 0, 76, body.buffer()), 76});
  }
  {
    protocol::ByteWriter body;  // a string longer than the frame
    body.fixed(std::uint16_t{500});
    body.raw(protocol::as_bytes(std::string_view("abc")));
    cases.push_back({"delete topic with an overlong string", WireClient::raw_request_frame(3, 0, 77, body.buffer()), 77});
  }
  // A frame smaller than a request header (8 < 10 bytes).
  cases.push_back({"frame below the header size", frame_head(8, 0, 78), 78});
  {
    // A header whose client_id length runs past the frame.
    auto frame = frame_head(10, 0, 79);
    frame.push_back(50);
    frame.push_back(0);
    cases.push_back({"client id longer than the frame", frame, 79});
  }

  for (const Case& k : cases) {
    CAPTURE(k.what);
    WireClient c(f.broker->port());
    // A good request first: the bad one must not disturb its answer.
    CHECK(c.api_versions().apis.size() == protocol::kApiKeyCount);
    expect_header_error(c, k.frame, k.correlation_id, ErrorCode::invalid_request);
    CHECK(c.wait_closed(3000ms));
  }
  // The broker is fine and nothing was created or appended.
  auto c = f.client();
  CHECK(c->metadata().topics.size() == 1);
  CHECK(c->list_offset("t", 0, protocol::kLatestTimestamp).offset == 0);
  CHECK(f.broker->running());
}

TEST_CASE("broker errors: UNSUPPORTED_VERSION and UNSUPPORTED_API keep the connection usable") {
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("t", 1).error == ErrorCode::none);

  // A known API at an unknown version, with a body that is valid for v0.
  for (int v : {3, 4, 0xFFFF}) {  // Metadata serves versions 0 to 2
    const auto version = static_cast<std::uint16_t>(v);
    CAPTURE(version);
    const auto frame = WireClient::request_frame(ApiKey::metadata, 900 + version, protocol::MetadataRequest{{"t"}},
                                                 version);
    expect_header_error(*c, frame, 900u + version, ErrorCode::unsupported_version);
    CHECK(c->metadata({"t"}).topics.at(0).error == ErrorCode::none);
  }
  // A produce at version 1 must not append.
  {
    const auto batch = make_batch(make_records("v", 0, 1, now_ms()));
    const auto frame =
        WireClient::request_frame(ApiKey::produce, 950, produce_request("t", 0, batch, Acks::leader), 1);
    expect_header_error(*c, frame, 950, ErrorCode::unsupported_version);
    CHECK(c->list_offset("t", 0, protocol::kLatestTimestamp).offset == 0);
  }
  // Unknown API keys, with and without a body.
  const std::uint8_t body[] = {1, 2, 3, 4};
  for (int k : {int{protocol::kApiKeyCount}, 99, 0xFFFF}) {
    const auto key = static_cast<std::uint16_t>(k);
    CAPTURE(key);
    expect_header_error(*c, WireClient::raw_request_frame(key, 0, 960u + key, body), 960u + key,
                        ErrorCode::unsupported_api);
    expect_header_error(*c, WireClient::raw_request_frame(key, 0, 970u + key, {}), 970u + key,
                        ErrorCode::unsupported_api);
    CHECK(c->api_versions().apis.size() == protocol::kApiKeyCount);
  }
}

TEST_CASE("broker errors: TOPIC_EXISTS, INVALID_TOPIC, INVALID_CONFIG, INVALID_PARTITIONS") {
  BrokerFixture f;
  auto c = f.client();

  // TOPIC_EXISTS: the first topic's configs stay.
  REQUIRE(c->create_topic("dup", 2, {{"retention.ms", "1000000"}}).error == ErrorCode::none);
  const auto exists = c->create_topic("dup", 3, {{"retention.ms", "2000000"}});
  CHECK(exists.error == ErrorCode::topic_exists);
  CHECK_FALSE(exists.message.empty());
  CHECK(c->metadata({"dup"}).topics.at(0).partitions.size() == 2);
  CHECK(config_map(c->describe_configs("dup").configs).at("retention.ms") == "1000000");

  // INVALID_TOPIC: nothing is created, inside the data dir or outside it.
  const auto outside_before = file_names(f.data.path());
  const auto inside_before = file_names(f.data_dir());
  const std::string names[] = {"../etc", "", std::string(300, 'a'), "a/b", ".", "..", std::string(250, 'b'),
                               "sp ace", "tab\tname", "star*", "/abs"};
  for (const auto& name : names) {
    CAPTURE(name);
    const auto res = c->create_topic(name, 1);
    CHECK(res.error == ErrorCode::invalid_topic);
    CHECK_FALSE(res.message.empty());
  }
  CHECK(c->produce("../etc", 0, make_batch(make_records("x", 0, 1, now_ms()))).error == ErrorCode::invalid_topic);
  CHECK(file_names(f.data.path()) == outside_before);
  CHECK(file_names(f.data_dir()) == inside_before);
  CHECK_FALSE(fs::exists(f.data.path() / "etc"));
  CHECK(c->metadata().topics.size() == 1);
  // The longest legal name, and the legal punctuation, work.
  CHECK(c->create_topic(std::string(249, 'c'), 1).error == ErrorCode::none);
  CHECK(c->create_topic("a.b_c-D9", 1).error == ErrorCode::none);

  // INVALID_CONFIG on create: the topic is not created.
  const std::vector<protocol::ConfigEntry> bad_configs[] = {
      {{"no.such.key", "1"}},
      {{"segment.bytes", "abc"}},
      {{"segment.bytes", "100"}},
      {{"retention.ms", "-5"}},
      {{"retention.bytes", "12x"}},
      {{"max.message.bytes", ""}},
      {{"segment.ms", "0"}},
      {{"retention.ms", "1000"}, {"bogus", "2"}},
  };
  for (const auto& configs : bad_configs) {
    CAPTURE(configs.back().key);
    CAPTURE(configs.back().value);
    const auto res = c->create_topic("cfg", 1, configs);
    CHECK(res.error == ErrorCode::invalid_config);
    CHECK(res.message.find(configs.back().key) != std::string::npos);  // the message names the key
    CHECK(c->metadata({"cfg"}).topics.at(0).error == ErrorCode::unknown_topic);
  }
  CHECK_FALSE(fs::exists(f.data_dir() / "cfg"));
  // An unknown key is answered with every key there is, the newest too.
  const auto unknown = c->create_topic("cfg", 1, {{"no.such.key", "1"}});
  for (const auto& e : c->describe_configs("dup").configs) {
    CAPTURE(e.key);
    CHECK(unknown.message.find(e.key) != std::string::npos);
  }

  // INVALID_CONFIG on alter: nothing changes, not even the valid keys.
  const auto configs_before = c->describe_configs("dup").configs;
  const std::vector<protocol::ConfigEntry> bad_alters[] = {
      {{"no.such.key", "1"}},
      {{"retention.bytes", "-2"}},
      {{"segment.bytes", "99999999999999"}},
      {{"partitions", "3"}, {"retention.ms", "5000"}},  // partitions change alone (topic_partitions.cpp)
      {{"retention.ms", "5000"}, {"segment.bytes", "1"}},
  };
  for (const auto& configs : bad_alters) {
    CAPTURE(configs.back().key);
    const auto res = c->alter_configs("dup", configs);
    CHECK(res.error == ErrorCode::invalid_config);
    CHECK_FALSE(res.message.empty());
    CHECK(c->describe_configs("dup").configs == configs_before);
  }
  CHECK(c->metadata({"dup"}).topics.at(0).partitions.size() == 2);

  // INVALID_PARTITIONS.
  for (std::uint32_t n : {0u, 1000000u, 0xFFFFFFFFu}) {
    CAPTURE(n);
    const auto res = c->create_topic("parts", n);
    CHECK(res.error == ErrorCode::invalid_partitions);
    CHECK_FALSE(res.message.empty());
  }
  CHECK(c->metadata({"parts"}).topics.at(0).error == ErrorCode::unknown_topic);
  CHECK_FALSE(fs::exists(f.data_dir() / "parts"));
}

TEST_CASE("broker errors: FRAME_TOO_LARGE is answered without allocating, and the broker serves on") {
  BrokerFixture f;
  {
    auto warm = f.client();
    REQUIRE(warm->create_topic("t", 1).error == ErrorCode::none);
  }
  const auto hwm_before = f.broker->proc_status_kb("VmHWM");
  REQUIRE(hwm_before.has_value());

  for (std::uint32_t size : {0xFFFFFFFFu, 0x80000000u, (64u << 20) + 1}) {
    CAPTURE(size);
    WireClient c(f.broker->port());
    // Only the size and the header's first 8 bytes: the broker reads no more.
    expect_header_error(c, frame_head(size, 6, 4242), 4242, ErrorCode::frame_too_large);
    CHECK(c.wait_closed(3000ms));
    CHECK(f.broker->running());
  }
  const auto hwm_after = f.broker->proc_status_kb("VmHWM");
  REQUIRE(hwm_after.has_value());
  INFO("peak RSS before " << *hwm_before << " kB, after " << *hwm_after << " kB");
  CHECK(*hwm_after < *hwm_before + 32 * 1024);  // no 64 MiB, let alone 4 GiB, buffer

  // Another client is served.
  auto c = f.client();
  CHECK(c->api_versions().apis.size() == protocol::kApiKeyCount);
  CHECK(c->produce("t", 0, make_batch(make_records("x", 0, 1, now_ms()))).error == ErrorCode::none);
}

TEST_CASE("broker errors: --max-frame-bytes is enforced on the size prefix") {
  BrokerFixture f({"--max-frame-bytes", "4096"});
  auto c = f.client();
  REQUIRE(c->create_topic("t", 1).error == ErrorCode::none);
  // Just under the limit is served.
  const auto fits = make_batch(make_records("x", 0, 1, now_ms(), 3000));
  CHECK(c->produce("t", 0, fits).error == ErrorCode::none);
  // Over it: refused on the prefix.
  expect_header_error(*c, frame_head(4097, 6, 31), 31, ErrorCode::frame_too_large);
  CHECK(c->wait_closed(3000ms));
  CHECK(f.client()->list_offset("t", 0, protocol::kLatestTimestamp).offset == 1);
}

TEST_CASE("broker errors: TOO_MANY_CONNECTIONS above --max-connections") {
  BrokerFixture f({"--max-connections", "3"});
  std::vector<std::unique_ptr<WireClient>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(f.client());
    REQUIRE(held.back()->api_versions().apis.size() == protocol::kApiKeyCount);
  }
  {
    WireClient extra(f.broker->port());
    const auto frame = WireClient::request_frame(ApiKey::api_versions, 777, protocol::ApiVersionsRequest{});
    expect_header_error(extra, frame, 777, ErrorCode::too_many_connections);
    CHECK(extra.wait_closed(3000ms));
  }
  // The connections already in are unaffected.
  for (auto& c : held) CHECK(c->api_versions().apis.size() == protocol::kApiKeyCount);

  // Once one closes, a new client gets in.
  held.pop_back();
  bool served = false;
  CHECK(eventually(
      [&] {
        WireClient c(f.broker->port());
        const std::uint32_t id = c.send(ApiKey::api_versions, protocol::ApiVersionsRequest{});
        const ResponseFrame r = c.read_frame();
        served = r.header.correlation_id == id && r.header.error == ErrorCode::none;
        return served;
      },
      5000ms));
  CHECK(f.broker->wait_for_log("max.connections", 5s));
}

}  // namespace strata::it
