// A new topic's replication.factor and min.insync.replicas
// (broker/core/replication_config.h): given, or the broker's defaults;
// refused above the brokers alive, above 1 until replication is built, and
// min.insync.replicas above the factor.
#include <doctest/doctest.h>

#include "broker/core/replication_config.h"

namespace strata::broker {

namespace {

struct Outcome {
  Status status;
  ReplicationChoice choice;
};

Outcome choose(std::vector<ConfigSetting> configs, std::optional<std::size_t> live, bool replicated = false,
               BrokerConfig broker = {}) {
  Outcome o;
  o.status = choose_replication(configs, broker, live, o.choice, replicated);
  return o;
}

}  // namespace

TEST_CASE("replication config: standalone keeps one replica") {
  const auto d = choose({}, std::nullopt);
  CHECK(d.status.ok());
  CHECK(d.choice.factor == 1);
  CHECK(d.choice.min_insync == 1);
  const auto two = choose({{"replication.factor", "2"}}, std::nullopt);
  CHECK(two.status.code == Errc::invalid_replication_factor);
  CHECK(two.status.message.find("standalone broker keeps one replica") != std::string::npos);
  const auto mir = choose({{"min.insync.replicas", "2"}}, std::nullopt);
  CHECK(mir.status.code == Errc::invalid_config);
  CHECK(mir.status.message == "min.insync.replicas 2 is above replication.factor 1: an acks=all write could never "
                              "be acknowledged; give at most 1");
}

TEST_CASE("replication config: cluster mode before replication is built: default 1, above 1 refused") {
  const auto d = choose({}, 3);
  CHECK(d.status.ok());
  CHECK(d.choice.factor == 1);
  const auto three = choose({{"replication.factor", "3"}}, 3);
  CHECK(three.status.code == Errc::invalid_replication_factor);
  CHECK(three.status.message == "replication.factor above 1 needs replicated partitions, not built yet");
  BrokerConfig b;
  b.default_replication_factor = 3;
  CHECK(choose({}, 3, false, b).status.code == Errc::invalid_replication_factor);
}

TEST_CASE("replication config: a factor above the brokers alive is refused, naming how many are alive") {
  const auto one = choose({{"replication.factor", "2"}}, 1);
  CHECK(one.status.code == Errc::invalid_replication_factor);
  CHECK(one.status.message == "replication.factor 2 is above the 1 broker alive: start more brokers or ask for at "
                              "most 1");
  CHECK(choose({{"replication.factor", "4"}}, 3, true).status.message.find("above the 3 brokers alive") !=
        std::string::npos);
}

TEST_CASE("replication config: with replication, the default is 3 capped at the brokers alive, min.insync 2 from 3") {
  const auto five = choose({}, 5, true);
  CHECK(five.status.ok());
  CHECK(five.choice.factor == 3);
  CHECK(five.choice.min_insync == 2);
  const auto two = choose({}, 2, true);
  CHECK(two.choice.factor == 2);
  CHECK(two.choice.min_insync == 1);
  CHECK(choose({}, 1, true).choice.factor == 1);
  // Given values win; a broker default for min.insync.replicas is capped at the factor.
  const auto given = choose({{"replication.factor", "3"}, {"min.insync.replicas", "3"}}, 3, true);
  CHECK(given.status.ok());
  CHECK(given.choice.min_insync == 3);
  BrokerConfig b;
  b.default_min_insync_replicas = 5;
  CHECK(choose({{"replication.factor", "2"}}, 3, true, b).choice.min_insync == 2);
  CHECK(choose({{"replication.factor", "2"}, {"min.insync.replicas", "3"}}, 3, true).status.code ==
        Errc::invalid_config);
}

TEST_CASE("replication config: set_replication replaces the given values") {
  std::vector<ConfigSetting> configs{{"retention.ms", "1000"}, {"replication.factor", "1"}};
  set_replication(configs, {3, 2});
  CHECK(configs == std::vector<ConfigSetting>{{"retention.ms", "1000"}, {"replication.factor", "3"},
                                              {"min.insync.replicas", "2"}});
}

}  // namespace strata::broker
