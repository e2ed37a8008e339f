#include "tests/integration/broker_cluster_fixture.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "tests/integration/test_util.h"

namespace strata::it {

ThreeBrokers::ThreeBrokers() {
  for (int id = 1; id <= 3; ++id) {
    const auto i = static_cast<std::size_t>(id - 1);
    brokers_[i] = std::make_unique<BrokerProcess>(dirs_[i].path(), args(id), 15s);
    ports_[i] = brokers_[i]->port();
  }
}

std::vector<std::string> ThreeBrokers::args(int id) const {
  std::vector<std::string> a{"--node-id", std::to_string(id), "--etcd-endpoints", etcd.endpoint(), "--lease-ttl-s",
                             "2"};
  const std::uint16_t p = ports_[static_cast<std::size_t>(id - 1)];
  if (p != 0) a.insert(a.end(), {"--listen", "127.0.0.1:" + std::to_string(p)});
  return a;
}

std::unique_ptr<WireClient> ThreeBrokers::client(int id) const { return std::make_unique<WireClient>(port(id)); }

void ThreeBrokers::kill9(int id) { broker(id).kill9(); }

void ThreeBrokers::restart(int id) {
  const auto i = static_cast<std::size_t>(id - 1);
  brokers_[i].reset();
  brokers_[i] = std::make_unique<BrokerProcess>(dirs_[i].path(), args(id), 15s);
}

bool create_everywhere(ThreeBrokers& c, int via, const std::string& topic, std::uint32_t partitions) {
  if (c.client(via)->create_topic(topic, partitions).error != protocol::ErrorCode::none) return false;
  for (int id = 1; id <= 3; ++id) {
    if (!c.broker(id).running()) continue;
    auto w = c.client(id);
    const bool seen = eventually(
        [&] { return w->metadata({topic}).topics.at(0).error == protocol::ErrorCode::none; }, 20s);
    if (!seen) return false;
  }
  return true;
}

std::vector<int> leaders_by_produce(ThreeBrokers& c, const std::string& topic, std::uint32_t partitions) {
  // A new topic's partitions open on their leaders a moment after the
  // broker asked answered: retry those not found yet, for up to 20 s. Each
  // partition gets one probe record (only its leader accepts one).
  std::vector<int> leaders(partitions, -1);
  (void)eventually([&] {
    for (int id = 1; id <= 3; ++id) {
      if (!c.broker(id).running()) continue;
      auto w = c.client(id);
      for (std::uint32_t p = 0; p < partitions; ++p) {
        if (leaders[p] != -1) continue;
        const auto r = w->produce(topic, p, make_batch(make_records("probe", 0, 1, now_ms())));
        if (r.error == protocol::ErrorCode::none) leaders[p] = id;
      }
    }
    return std::find(leaders.begin(), leaders.end(), -1) == leaders.end();
  }, 20s);
  return leaders;
}

std::vector<int> spread_with_records(ThreeBrokers& c, const std::string& topic, int kept) {
  REQUIRE(create_everywhere(c, 1, topic, 3));
  std::vector<int> leaders = leaders_by_produce(c, topic, 3);  // one probe record each
  REQUIRE(leaders[0] > 0);
  const auto r = c.client(leaders[0])->produce(topic, 0, make_batch(make_records("keep", 0, kept, now_ms())));
  REQUIRE(r.error == protocol::ErrorCode::none);
  return leaders;
}

}  // namespace strata::it
