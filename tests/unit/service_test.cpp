// The service (broker/core) driven in-process, with no wire protocol and no
// broker process: create a topic, produce through core::produce, read back
// through core::fetch as segment slices, look offsets up; errors come back
// as Errc values with messages, for any front door to map.
#include <doctest/doctest.h>

#include <future>

#include "broker/core/broker.h"
#include "broker/core/fetch.h"
#include "broker/core/produce.h"
#include "broker/core/topic_queries.h"
#include "storage_test_util.h"
#include "tests/support/temp_dir.h"

namespace strata::test {
namespace {

using namespace broker;

struct Service {
  TempDir dir;
  std::unique_ptr<Broker> broker;
  Service() {
    BrokerConfig config;
    config.data_dir = (dir.path() / "data").string();
    config.shards = 2;
    broker = std::make_unique<Broker>(config);
    REQUIRE_FALSE(broker->load());
    broker->start_shards();
  }
  ~Service() { broker->shutdown(); }

  // Runs `work` on shard `s` and waits for its answer.
  template <typename T>
  T run(unsigned s, awaitable<T> work) {
    auto done = asio::co_spawn(broker->shard(s).context(), std::move(work), asio::use_future);
    REQUIRE(done.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
    return done.get();
  }
};

}  // namespace

TEST_CASE("service: produce and fetch through core, in domain types") {
  Service svc;
  REQUIRE(svc.run(0, svc.broker->create_topic(TopicSpec{"t", 2, {}})).ok());

  std::vector<std::uint8_t> first = make_batch(0, 3, 1000);
  std::vector<std::uint8_t> second = make_batch(3, 2, 2000);
  std::vector<ProduceTarget> targets{{"t", 1, first}, {"t", 1, second}, {"t", 7, first}, {"nope", 0, first}};
  // From shard 1: partition 1 may live on either shard.
  ProduceOutcome produced = svc.run(1, produce(*svc.broker, targets, AckLevel::durable));
  REQUIRE(produced.results.size() == 4);
  CHECK(produced.results[0].error == Errc::none);
  CHECK(produced.results[0].base_offset == 0);
  CHECK(produced.results[1].error == Errc::none);
  CHECK(produced.results[1].base_offset == 3);
  CHECK(produced.results[2].error == Errc::unknown_partition);
  CHECK(produced.results[2].message.find("partitions 0..1") != std::string::npos);
  CHECK(produced.results[3].error == Errc::unknown_topic);
  CHECK(produced.results[3].message.find("strata topic create nope") != std::string::npos);
  CHECK_FALSE(produced.affinity.none());

  const FetchLimits limits{std::chrono::milliseconds(0), 1, 1u << 20, 100, 1u << 26};
  std::vector<FetchTarget> reads{{"t", 1, 0, 1u << 20}, {"t", 0, 0, 1u << 20}};
  FetchOutcome fetched = svc.run(0, fetch(*svc.broker, reads, limits));
  REQUIRE(fetched.refused.ok());
  REQUIRE(fetched.reads.size() == 2);
  CHECK(fetched.reads[0].error == Errc::none);
  CHECK(fetched.reads[0].log_end == 5);
  CHECK(fetched.reads[0].slice.length == first.size() + second.size());
  CHECK(fetched.reads[0].slice.first_offset.value() == 0);
  CHECK(fetched.reads[0].slice.next_offset.value() == 5);
  CHECK(fetched.reads[1].log_end == 0);
  CHECK(fetched.reads[1].slice.length == 0);

  CHECK(svc.run(1, list_offset(*svc.broker, "t", 1, kLatestTimestamp)).offset == 5);
  CHECK(svc.run(1, list_offset(*svc.broker, "t", 1, 2000)).offset == 3);
  CHECK(svc.run(1, list_offset(*svc.broker, "t", 9, kLatestTimestamp)).error == Errc::unknown_partition);
  TopicStats stats = svc.run(0, describe_topic(*svc.broker, "t"));
  REQUIRE(stats.partitions.size() == 2);
  CHECK(stats.partitions[1].log_end == 5);
}

TEST_CASE("service: a fetch whose fixed part alone passes the frame limit is refused whole") {
  Service svc;
  REQUIRE(svc.run(0, svc.broker->create_topic(TopicSpec{"t", 1, {}})).ok());
  const FetchLimits limits{std::chrono::milliseconds(0), 1, 1u << 20, 2000, 1000};
  std::vector<FetchTarget> reads{{"t", 0, 0, 1u << 20}};
  FetchOutcome fetched = svc.run(0, fetch(*svc.broker, reads, limits));
  CHECK(fetched.refused.code == Errc::response_too_large);
  CHECK(fetched.refused.message.find("fetch fewer partitions") != std::string::npos);
}

TEST_CASE("service: admin errors are Errc values with messages") {
  Service svc;
  CHECK(svc.run(0, svc.broker->create_topic(TopicSpec{"bad/name", 1, {}})).code == Errc::invalid_topic);
  CHECK(svc.run(0, svc.broker->create_topic(TopicSpec{"t", 0, {}})).code == Errc::invalid_partitions);
  CHECK(svc.run(0, svc.broker->create_topic(TopicSpec{"t", 1, {{"retention.ms", "soon"}}})).code ==
        Errc::invalid_config);
  REQUIRE(svc.run(0, svc.broker->create_topic(TopicSpec{"t", 1, {}})).ok());
  CHECK(svc.run(0, svc.broker->create_topic(TopicSpec{"t", 1, {}})).code == Errc::topic_exists);
  const Status altered = svc.run(0, svc.broker->alter_configs("t", {{"retention.bytes", "1MiB"}}));
  CHECK_MESSAGE(altered.ok(), altered.message);
  CHECK(svc.run(0, svc.broker->delete_topic("missing")).code == Errc::unknown_topic);
}

}  // namespace strata::test
