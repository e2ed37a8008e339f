// Replication configs on a standalone broker (issue 18): one replica is
// all it keeps, min.insync.replicas cannot exceed it, both are described,
// and Metadata version 2 answers with no replica lists.
#include <doctest/doctest.h>

#include <algorithm>

#include "protocol/metadata_v2.h"
#include "tests/integration/test_util.h"

namespace strata::it {

using protocol::ErrorCode;

namespace {

std::string config_value(const protocol::DescribeConfigsResponse& d, const std::string& key) {
  const auto it = std::find_if(d.configs.begin(), d.configs.end(), [&](const auto& c) { return c.key == key; });
  return it == d.configs.end() ? "(missing)" : it->value;
}

}  // namespace

TEST_CASE("standalone: replication.factor above 1 is INVALID_REPLICATION_FACTOR, min.insync.replicas above it "
          "INVALID_CONFIG") {
  BrokerFixture f;
  auto c = f.client();
  const auto two = c->create_topic("t", 1, {{"replication.factor", "2"}});
  CHECK(two.error == ErrorCode::invalid_replication_factor);
  CHECK_MESSAGE(two.message.find("standalone broker keeps one replica") != std::string::npos, two.message);
  const auto mir = c->create_topic("t", 1, {{"min.insync.replicas", "2"}});
  CHECK(mir.error == ErrorCode::invalid_config);
  CHECK_MESSAGE(mir.message.find("above replication.factor 1") != std::string::npos, mir.message);
  CHECK(c->create_topic("t", 1, {{"replication.factor", "17"}}).error == ErrorCode::invalid_config);

  REQUIRE(c->create_topic("t", 1, {{"replication.factor", "1"}, {"unclean.leader.election.enable", "true"}}).error ==
          ErrorCode::none);
  const auto d = c->describe_configs("t");
  CHECK(config_value(d, "replication.factor") == "1");
  CHECK(config_value(d, "min.insync.replicas") == "1");
  CHECK(config_value(d, "unclean.leader.election.enable") == "true");
  const auto raised = c->alter_configs("t", {{"min.insync.replicas", "2"}});
  CHECK(raised.error == ErrorCode::invalid_config);
  CHECK_MESSAGE(raised.message.find("above replication.factor 1") != std::string::npos, raised.message);
  const auto fixed = c->alter_configs("t", {{"replication.factor", "1"}});
  CHECK(fixed.error == ErrorCode::invalid_config);
  CHECK_MESSAGE(fixed.message.find("cannot be changed") != std::string::npos, fixed.message);
}

TEST_CASE("standalone: Metadata version 2 answers empty replica lists and leader epoch -1") {
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("t", 2).error == ErrorCode::none);
  const auto corr = c->send(protocol::ApiKey::metadata, protocol::MetadataRequest{{"t"}}, 2);
  const auto v2 = WireClient::decode_reply<protocol::MetadataResponseV2>(WireClient::expect_ok(c->read_frame(), corr));
  REQUIRE(v2.v1.base.topics.size() == 1);
  CHECK(v2.v1.base.topics[0].partitions.size() == 2);
  CHECK(v2.v1.leaders == std::vector<std::vector<std::int32_t>>{{-1, -1}});
  REQUIRE(v2.replicas.size() == 1);
  for (const auto& p : v2.replicas[0]) CHECK(p == protocol::PartitionReplicas{{}, {}, -1});
}

}  // namespace strata::it
