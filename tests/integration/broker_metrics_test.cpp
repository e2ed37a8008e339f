// /metrics after a known workload: each counter against what the test did;
// /healthz and /readyz; metrics.partition.level=false; metrics.listen off
// and refused; `strata top` on a live broker.
#include <doctest/doctest.h>

#include "tests/integration/client_library_test_util.h"
#include "tests/integration/client_test_util.h"
#include "tests/integration/metrics_test_util.h"
#include "tests/integration/test_util.h"
#include "tests/kafka/kafka_socket.h"

namespace strata::it {
using namespace library;
using cli::metric_sum;

namespace {

const std::vector<std::string> kMetricsOn{"--metrics-listen", "127.0.0.1:0"};

double topic_metric(const std::vector<cli::MetricSample>& s, const char* name, const std::string& topic) {
  return metric_sum(s, name, {{"topic", topic}});
}

double partition_metric(const std::vector<cli::MetricSample>& s, const char* name, const std::string& topic,
                        std::uint32_t p) {
  return metric_sum(s, name, {{"topic", topic}, {"partition", std::to_string(p)}});
}

}  // namespace

TEST_CASE("metrics: the counters after a known produce, consume and error workload are exact") {
  ClientFixture f(kMetricsOn);
  const BrokerProcess& broker = *f.broker.broker;
  const std::string topic = "counted";
  f.client->create_topic(topic, 3);
  {
    ScopedProducer kept(*f.client);
    // Partition 0: 7 records in two batches; partition 2: 5 in one.
    for (int i = 0; i < 7; ++i) {
      const std::string value = "value-" + std::to_string(i);  // the record views it
      auto r = make_record(topic, std::nullopt, value);
      r.partition = 0;
      kept->send(r);
      if (i == 3) kept->flush();
    }
    for (int i = 0; i < 5; ++i) {
      const std::string value = "v" + std::to_string(i);
      auto r = make_record(topic, std::nullopt, value);
      r.partition = 2;
      kept->send(r);
    }
    kept->flush();
  }
  const auto before_consume = scrape(broker);
  CHECK(topic_metric(before_consume, "strata_messages_in_total", topic) == 12);
  CHECK(metric_sum(before_consume, "strata_produce_batch_records_sum") == 12);
  CHECK(metric_sum(before_consume, "strata_produce_batch_records_count") == 3);
  CHECK(partition_metric(before_consume, "strata_partition_log_end_offset", topic, 0) == 7);
  CHECK(partition_metric(before_consume, "strata_partition_log_end_offset", topic, 1) == 0);
  CHECK(partition_metric(before_consume, "strata_partition_log_end_offset", topic, 2) == 5);
  CHECK(partition_metric(before_consume, "strata_partition_log_start_offset", topic, 0) == 0);
  CHECK(partition_metric(before_consume, "strata_partition_segments", topic, 1) == 1);
  // Fresh partitions: what was appended is what is on disk, batch for batch.
  const double bytes_in = topic_metric(before_consume, "strata_bytes_in_total", topic);
  CHECK(bytes_in > 0);
  CHECK(bytes_in == metric_sum(before_consume, "strata_produce_batch_bytes_sum"));
  CHECK(bytes_in == topic_metric(before_consume, "strata_topic_size_bytes", topic));
  CHECK(bytes_in == metric_sum(before_consume, "strata_partition_size_bytes", {{"topic", topic}}));
  CHECK(topic_metric(before_consume, "strata_topic_partitions", topic) == 3);
  CHECK(topic_metric(before_consume, "strata_messages_out_total", topic) == 0);
  CHECK(metric_sum(before_consume, "strata_ready") == 1);
  CHECK(metric_sum(before_consume, "strata_build_info") == 1);

  const auto records = consume_all(*f.client, topic, {0, 1, 2}, StartPosition::earliest());
  REQUIRE(records.size() == 12);
  const auto after_consume = scrape(broker);
  CHECK(topic_metric(after_consume, "strata_messages_out_total", topic) == 12);
  CHECK(topic_metric(after_consume, "strata_bytes_out_total", topic) == bytes_in);

  // Requests and errors over one raw connection, counted as deltas.
  auto wire = f.broker.client();
  const std::map<std::string, std::string> api_versions{{"api", "ApiVersions"}};
  const std::map<std::string, std::string> describe{{"api", "DescribeConfigs"}};
  for (int i = 0; i < 3; ++i) (void)wire->api_versions();
  (void)wire->describe_configs("no-such-topic");
  (void)wire->describe_configs("no-such-topic");
  const auto after_requests = scrape(broker);
  CHECK(metric_sum(after_requests, "strata_requests_total", api_versions) -
            metric_sum(after_consume, "strata_requests_total", api_versions) == 3);
  CHECK(metric_sum(after_requests, "strata_request_duration_seconds_count", api_versions) -
            metric_sum(after_consume, "strata_request_duration_seconds_count", api_versions) == 3);
  CHECK(metric_sum(after_requests, "strata_request_errors_total",
                   {{"api", "DescribeConfigs"}, {"error", "UNKNOWN_TOPIC"}}) == 2);
  // A delta: the producer asked DescribeConfigs once too (its topic's max.message.bytes).
  CHECK(metric_sum(after_requests, "strata_requests_total", describe) -
            metric_sum(after_consume, "strata_requests_total", describe) == 2);
  CHECK(metric_sum(after_requests, "strata_request_errors_total", {{"api", "Produce"}}) == 0);
  CHECK(metric_sum(after_requests, "strata_connections_open") >= 2);  // the fixture's client and `wire`
}

TEST_CASE("metrics: a topic deleted and created again counts its records out from zero") {
  ClientFixture f(kMetricsOn);
  const std::string topic = "again";
  for (int round = 0; round < 2; ++round) {
    f.client->create_topic(topic, 1);  // retries while the deletion still removes files
    const int records = round == 0 ? 3 : 1;
    {
      ScopedProducer kept(*f.client);
      for (int i = 0; i < records; ++i) kept->send(make_record(topic, std::nullopt, "v" + std::to_string(i)));
      kept->flush();
    }
    REQUIRE(consume_all(*f.client, topic, {0}, StartPosition::earliest()).size() == static_cast<std::size_t>(records));
    const auto s = scrape(*f.broker.broker);
    // Before the fix the second round showed 4: the deleted topic's 3 too.
    CHECK(topic_metric(s, "strata_messages_out_total", topic) == records);
    if (round == 0) f.client->delete_topic(topic);
  }
}

TEST_CASE("metrics: /healthz and /readyz answer 200 on a ready broker, other paths 404") {
  BrokerFixture f(kMetricsOn);
  const std::string address = metrics_address(*f.broker);
  const auto health = cli::http_get(address, "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");
  CHECK(cli::http_get(address, "/readyz").status == 200);
  const auto missing = cli::http_get(address, "/nope");
  CHECK(missing.status == 404);
  CHECK(missing.body.find("/metrics") != std::string::npos);
}

TEST_CASE("metrics: metrics.partition.level=false reports per topic only") {
  auto args = kMetricsOn;
  args.insert(args.end(), {"--metrics-partition-level", "false"});
  ClientFixture f(args);
  f.client->create_topic("per-topic", 4);
  const std::string text = scrape_text(*f.broker.broker);
  CHECK(text.find("strata_partition_") == std::string::npos);
  CHECK(metric_sum(cli::parse_metrics(text), "strata_topic_partitions", {{"topic", "per-topic"}}) == 4);
}

TEST_CASE("metrics: an empty metrics.listen turns the listener off, a malformed one is refused by name") {
  BrokerFixture off({"--metrics-listen", ""});
  CHECK_FALSE(off.broker->wait_for_log("metrics on", 200ms));
  const auto bad = ChildProcess({broker_binary(), "--metrics-listen", "localhost"}).wait(10s);
  CHECK(bad.exited);
  CHECK(bad.code == 2);
  CHECK(bad.err.find("metrics.listen (--metrics-listen)") != std::string::npos);
}

TEST_CASE("metrics: strata top shows a topic's produce rate from /metrics") {
  ClientFixture f(kMetricsOn);
  f.client->create_topic("watched", 1);
  ChildProcess top({strata_cli_binary(), "top", "--metrics", metrics_address(*f.broker.broker), "--interval", "1s",
                    "--iterations", "3"});
  {
    ScopedProducer kept(*f.client);
    for (int i = 0; i < 200; ++i) {
      kept->send(make_record("watched", std::nullopt, "x"));
      if (i % 20 == 19) {
        kept->flush();
        std::this_thread::sleep_for(50ms);
      }
    }
    kept->flush();
  }
  const ProcessResult r = top.wait(20s);
  REQUIRE_MESSAGE(r.exited, r.describe());
  CHECK(r.code == 0);
  CHECK(r.out.find("watched") != std::string::npos);
  CHECK(r.out.find("Produce") != std::string::npos);
  CHECK(r.out.find("msg/s in") != std::string::npos);
}

TEST_CASE("metrics: strata top names the address it cannot reach") {
  const auto r = ChildProcess({strata_cli_binary(), "top", "--metrics", "127.0.0.1:" + std::to_string(free_port()),
                               "--iterations", "1"})
                     .wait(10s);
  CHECK(r.code == 1);
  CHECK(r.err.find("metrics.listen") != std::string::npos);
}

}  // namespace strata::it

namespace strata::it {

TEST_CASE("metrics: Kafka-protocol requests count by Kafka API, apart from strata's own") {
  BrokerFixture f;
  const BrokerProcess& broker = *f.broker;
  const auto before = scrape(broker);
  {
    KafkaSocket s(broker.kafka_port());
    check_api_versions(s, 1);
    for (std::int32_t correlation = 2; correlation <= 3; ++correlation) {
      REQUIRE(s.send(request(3, 1, correlation, Be().i32(0).bytes())));  // Metadata v1, no topics
      REQUIRE(s.read_frame().has_value());
    }
  }
  const auto after = scrape(broker);
  CHECK(metric_sum(after, "strata_kafka_requests_total", {{"api", "ApiVersions"}}) == 1);
  CHECK(metric_sum(after, "strata_kafka_requests_total", {{"api", "Metadata"}}) == 2);
  CHECK(metric_sum(after, "strata_kafka_request_duration_seconds_count", {{"api", "Metadata"}}) == 2);
  // strata's own per-API counters are not touched by Kafka requests.
  CHECK(metric_sum(after, "strata_requests_total", {{"api", "Metadata"}}) ==
        metric_sum(before, "strata_requests_total", {{"api", "Metadata"}}));
}

}  // namespace strata::it
