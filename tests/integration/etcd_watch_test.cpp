// strata's etcd watch against a real etcd: order, resuming after an etcd
// restart, and re-reading after compaction.
#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/etcd_http.h"
#include "broker/cluster/etcd_watch.h"
#include "tests/integration/etcd_test_util.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using namespace cluster::etcd;

// What a watcher delivered, filled on the cluster thread, read on the test
// thread.
struct Seen {
  mutable std::mutex mu;
  std::vector<WatchEvent> events;
  std::vector<RangeResult> snapshots;
  int breaks = 0;

  cluster::WatchCallbacks callbacks() {
    return {[this](const std::vector<WatchEvent>& e) {
              std::lock_guard lock(mu);
              events.insert(events.end(), e.begin(), e.end());
            },
            [this](const RangeResult& r) {
              std::lock_guard lock(mu);
              snapshots.push_back(r);
            },
            [this](std::error_code ec) {
              std::lock_guard lock(mu);
              if (ec) ++breaks;
            }};
  }
  std::size_t count() const {
    std::lock_guard lock(mu);
    return events.size();
  }
  std::vector<std::string> keys() const {
    std::lock_guard lock(mu);
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back((e.type == WatchEvent::Type::del ? "-" : "+") + e.kv.key);
    return out;
  }
};

// Starts a watcher on the cluster thread; cancels it there on destruction.
struct ScopedWatch {
  ScopedWatch(EtcdFixture& f, std::string prefix, std::int64_t from, Seen& seen) : fx(f) {
    w = fx.run([&]() -> boost::asio::awaitable<std::shared_ptr<cluster::Watcher>> {
      cluster::WatchCallbacks callbacks = seen.callbacks();  // a named local: GCC 12's coroutine bug
      co_return cluster::Watcher::start(*fx.client, prefix, true, from, std::move(callbacks));
    }());
  }
  ~ScopedWatch() {
    fx.run([this]() -> boost::asio::awaitable<int> {
      w->cancel();
      co_return 0;
    }());
  }
  EtcdFixture& fx;
  std::shared_ptr<cluster::Watcher> w;
};

std::int64_t put(EtcdFixture& fx, const std::string& key, const std::string& value = "v") {
  auto r = fx.run(fx.client->put({key, value, 0}));
  REQUIRE(r);
  return r.value();
}

}  // namespace

TEST_CASE("etcd watch: delivers every put and delete under the prefix, in order, nothing else") {
  EtcdFixture fx;
  const std::int64_t start = put(fx, "/w/before") + 1;
  Seen seen;
  ScopedWatch watch(fx, "/w/", start, seen);
  std::vector<std::string> expected;
  for (int i = 0; i < 20; ++i) {
    put(fx, "/w/k" + std::to_string(i));
    expected.push_back("+/w/k" + std::to_string(i));
    put(fx, "/other/k" + std::to_string(i));
  }
  REQUIRE(fx.run(fx.client->del({"/w/k3", false})));
  expected.push_back("-/w/k3");
  REQUIRE(eventually([&] { return seen.count() >= expected.size(); }, 10s));
  std::this_thread::sleep_for(100ms);
  CHECK(seen.keys() == expected);
  std::lock_guard lock(seen.mu);
  for (std::size_t i = 1; i < seen.events.size(); ++i) {
    CHECK(seen.events[i].kv.mod_revision > seen.events[i - 1].kv.mod_revision);
  }
}

TEST_CASE("etcd watch: after etcd restarts it resumes from the last revision seen, missing and repeating nothing") {
  EtcdFixture fx;
  Seen seen;
  ScopedWatch watch(fx, "/r/", put(fx, "/r/a"), seen);
  REQUIRE(eventually([&] { return seen.count() == 1; }, 10s));
  fx.etcd.kill9();
  REQUIRE(eventually([&] {
    std::lock_guard lock(seen.mu);
    return seen.breaks > 0;
  }, 10s));
  fx.etcd.restart();
  // Written while the watcher is still backing off: only a resume from
  // the last revision seen + 1 (not "from now") delivers them.
  put(fx, "/r/b");
  put(fx, "/r/c");
  REQUIRE(eventually([&] { return seen.count() >= 3; }, 15s));
  std::this_thread::sleep_for(200ms);
  CHECK(seen.keys() == std::vector<std::string>{"+/r/a", "+/r/b", "+/r/c"});
  put(fx, "/r/d");
  REQUIRE(eventually([&] { return seen.count() >= 4; }, 10s));
  CHECK(seen.keys().back() == "+/r/d");
}

TEST_CASE("etcd watch: told its revision was compacted, it re-reads the prefix and then watches on") {
  EtcdFixture fx;
  put(fx, "/c/a", "1");
  put(fx, "/c/a", "2");
  put(fx, "/c/b", "1");
  const std::int64_t now = put(fx, "/c/x", "1");
  REQUIRE(fx.run(fx.client->del({"/c/x", false})));
  // Compact everything up to now: a watch from revision 1 is refused.
  const auto compacted = fx.run(cluster::http_post({"127.0.0.1", fx.etcd.client_port()}, "/v3/kv/compaction",
                                                   R"({"revision":")" + std::to_string(now) + R"("})", 2s, 1 << 20));
  REQUIRE_FALSE(compacted.error);
  REQUIRE(compacted.answer.status == 200);

  Seen seen;
  ScopedWatch watch(fx, "/c/", 1, seen);
  REQUIRE(eventually([&] {
    std::lock_guard lock(seen.mu);
    return !seen.snapshots.empty();
  }, 10s));
  {
    std::lock_guard lock(seen.mu);
    const RangeResult& snap = seen.snapshots.at(0);
    REQUIRE(snap.kvs.size() == 2);  // /c/x was deleted
    CHECK(snap.kvs[0].key == "/c/a");
    CHECK(snap.kvs[0].value == "2");
    CHECK(snap.kvs[1].key == "/c/b");
    CHECK(seen.events.empty());
  }
  CHECK(fx.log.contains("compacted"));
  put(fx, "/c/after");
  REQUIRE(eventually([&] { return seen.count() >= 1; }, 10s));
  CHECK(seen.keys() == std::vector<std::string>{"+/c/after"});
}

TEST_CASE("etcd watch: a watcher its owner lets go of at once keeps itself alive and delivers") {
  EtcdFixture fx;
  Seen seen;
  const std::int64_t from = put(fx, "/elsewhere") + 1;
  // Started and dropped within one step of the cluster thread, before its
  // coroutine first runs (it once took its own reference only then).
  fx.run([&]() -> boost::asio::awaitable<int> {
    cluster::WatchCallbacks callbacks = seen.callbacks();  // a named local: GCC 12's coroutine bug
    (void)cluster::Watcher::start(*fx.client, "/drop/", true, from, std::move(callbacks));
    co_return 0;
  }());
  put(fx, "/drop/a");
  CHECK(eventually([&] { return seen.count() == 1; }, 5s));
}

}  // namespace strata::it
