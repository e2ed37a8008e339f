// The public client API (client/include/strata/*.h) against a real broker,
// through the public headers only: errors an application sees, the
// version it can read, and admin calls with standard-library types. The
// out-of-tree example (tests/package/library_install_test.sh) covers
// produce and consume from an installed prefix.
#include <doctest/doctest.h>

#include <string>

#include "strata/client.h"
#include "strata/consumer.h"
#include "strata/producer.h"
#include "strata/version.h"
#include "tests/integration/test_util.h"

namespace strata::it {

TEST_CASE("public API: errors carry the broker's code, kind and advice") {
  BrokerFixture f;
  ClientOptions options;
  options.broker = "127.0.0.1:" + std::to_string(f.broker->port());
  Client client(options);
  try {
    (void)client.partition_count("absent");
    FAIL("no error for an unknown topic");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::unknown_topic);
    CHECK(e.kind() == Error::Kind::broker);
    CHECK_FALSE(e.retriable());
    CHECK(std::string(e.what()).starts_with("UNKNOWN_TOPIC"));
    CHECK(error_name(e.code()) == "UNKNOWN_TOPIC");
  }
  client.create_topic("told", 2, {{"retention.ms", "3600000"}});
  CHECK(client.describe_configs("told").at("retention.ms") == "3600000");
  try {
    client.create_topic("told", 2);
    FAIL("no error for an existing topic");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::topic_exists);
  }
  try {
    client.check_partition("told", 2);
    FAIL("no error for partition 2 of 2");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::unknown_partition);
  }
  const auto topics = client.list_topics();
  REQUIRE(topics.size() == 1);
  CHECK(topics[0].name == "told");
  CHECK(topics[0].partitions == 2);
  CHECK(client.describe_topic("told").details.size() == 2);
  CHECK(client.list_offset("told", 0, kLatestOffset) == 0);
  CHECK(broker_error(ErrorCode::not_enough_space, "x").retriable());
}

TEST_CASE("public API: a record larger than the topic's max.message.bytes fails alone through its callback") {
  BrokerFixture f;
  ClientOptions options;
  options.broker = "127.0.0.1:" + std::to_string(f.broker->port());
  Client client(options);
  client.create_topic("small", 1, {{"max.message.bytes", "1024"}});
  Producer producer(client);
  const std::string big(2000, 'b');
  ProducerRecord record;
  record.topic = "small";
  record.value = big;
  auto too_large = producer.send_future(record);
  record.value = "fits";
  auto fits = producer.send_future(record);
  producer.flush();
  CHECK(fits.get().offset == 0);
  try {
    (void)too_large.get();
    FAIL("the oversized record was sent");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::batch_too_large);
    CHECK(std::string(e.what()).find("max.message.bytes 1024") != std::string::npos);
  }
  Consumer consumer(client);
  consumer.assign("small", 0, StartPosition::earliest());
  std::vector<ConsumerRecord> got;
  for (int i = 0; i < 50 && got.empty(); ++i) got = consumer.poll(200);
  REQUIRE(got.size() == 1);
  CHECK(got[0].value == "fits");
}

TEST_CASE("public API: version() names the library's version and every API it speaks") {
  const Version v = version();
  CHECK(v.text == std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch));
  CHECK_FALSE(v.commit.empty());
  REQUIRE(v.protocol.size() >= 11);  // ApiVersions .. DescribeRetention, and any added since
  CHECK(v.protocol.front().api == "ApiVersions");
  bool produce = false;
  for (const auto& api : v.protocol) produce = produce || (api.api == "Produce" && api.max_version == 0);
  CHECK(produce);
  CHECK(partition_for_key("alice", 4) < 4);
}

}  // namespace strata::it
