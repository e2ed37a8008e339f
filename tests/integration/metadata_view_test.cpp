// The metadata view against a real etcd: the first read, live updates,
// bad values, an etcd restart.
#include <doctest/doctest.h>

#include "broker/cluster/metadata_view.h"
#include "tests/integration/etcd_test_util.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using namespace cluster;

const ClusterLayout kLayout("mv");

std::shared_ptr<MetadataView> start_view(EtcdFixture& fx, LogSink& log) {
  auto v = fx.run([&]() -> boost::asio::awaitable<Result<std::shared_ptr<MetadataView>>> {
    MetadataViewOptions o;
    o.layout = kLayout;
    o.log = [&log](const std::string& line) { log.add(line); };
    co_return co_await MetadataView::start(*fx.client, std::move(o));
  }());
  REQUIRE(v);
  return v.value();
}

void put(EtcdFixture& fx, const std::string& key, const std::string& value) {
  REQUIRE(fx.run(fx.client->put({key, value, 0})));
}

}  // namespace

TEST_CASE("metadata view: reads what is there, then follows every change, across an etcd restart") {
  EtcdFixture fx;
  const BrokerRegistration b1{1, random_uuid(), {{"strata", "127.0.0.1", 9001}}};
  const TopicRecord t{random_uuid(), 1, {{1}}, {{"retention.ms", "60000"}}};
  put(fx, kLayout.broker_key(1), encode(b1));
  put(fx, kLayout.topic_key("orders"), encode(t));
  put(fx, "/elsewhere/x", "y");

  LogSink log;
  const auto view = start_view(fx, log);
  {
    const auto m = view->current();
    CHECK(m->brokers.at(1) == b1);
    CHECK(m->topics.at("orders") == t);
    CHECK(m->partitions.empty());
    CHECK(view->connected());
  }

  const PartitionState p0{1, 0, {1}, 3};
  put(fx, kLayout.partition_key("orders", 0), encode(p0));
  REQUIRE(eventually([&] { return view->current()->partitions.count("orders") == 1; }, 5s));
  CHECK(view->current()->partitions.at("orders").at(0).state == p0);

  fx.etcd.kill9();
  REQUIRE(eventually([&] { return !view->connected(); }, 5s));
  CHECK(view->current()->topics.size() == 1);  // the last state stays while etcd is down
  fx.etcd.restart();
  REQUIRE(fx.run(fx.client->del({kLayout.topic_key("orders"), false})));
  put(fx, kLayout.broker_key(2), "garbage");
  REQUIRE(eventually([&] { return view->current()->topics.empty(); }, 10s));
  CHECK(eventually([&] { return view->connected(); }, 5s));
  CHECK(eventually([&] { return log.contains("ignoring etcd key /mv/brokers/2: not JSON"); }, 5s));
  CHECK(view->current()->brokers.size() == 1);
  fx.run([&]() -> boost::asio::awaitable<int> {
    view->stop();
    co_return 0;
  }());
}

}  // namespace strata::it
