// The exposition checked by Prometheus's own tools: `promtool check metrics`
// accepts a scrape, and a real Prometheus server (Debian's `prometheus`,
// started here on a free loopback port with a temporary config and data
// directory, killed by PID) scrapes a real broker and finds the produce
// counter through its HTTP query API. Skipped, saying so, when the binaries
// are not installed (scripts/install-deps.sh installs them).
#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>

#include "tests/integration/client_library_test_util.h"
#include "tests/integration/client_test_util.h"
#include "tests/integration/metrics_test_util.h"
#include "tests/kafka/kafka_socket.h"

namespace strata::it {
using namespace library;

namespace {

bool installed(const char* path) { return ::access(path, X_OK) == 0; }

void produce(Client& c, const std::string& topic, int count) {
  ScopedProducer kept(c);
  for (int i = 0; i < count; ++i) kept->send(make_record(topic, std::nullopt, "m" + std::to_string(i)));
  kept->flush();
}

}  // namespace

TEST_CASE("metrics: promtool check metrics accepts a scrape of a broker with traffic and errors") {
  if (!installed("/usr/bin/promtool")) {
    MESSAGE("SKIPPED: /usr/bin/promtool is missing (Debian package prometheus; scripts/install-deps.sh)");
    return;
  }
  ClientFixture f({"--metrics-listen", "127.0.0.1:0"});
  f.client->create_topic("checked", 2);
  produce(*f.client, "checked", 50);
  (void)consume_all(*f.client, "checked", {0, 1}, StartPosition::earliest());
  (void)f.broker.client()->describe_configs("absent");  // an error series
  {
    KafkaSocket kafka(f.broker.broker->kafka_port());  // Kafka's per-API series
    check_api_versions(kafka, 1);
  }
  TempDir dir;
  const auto file = dir.path() / "scrape.txt";
  std::ofstream(file) << scrape_text(*f.broker.broker);
  // promtool reads the exposition on stdin.
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const ProcessResult r = ChildProcess({"/usr/bin/promtool", "check", "metrics"}, text).wait(30s);
  CHECK_MESSAGE(r.exited, r.describe());
  CHECK_MESSAGE(r.code == 0, r.describe());
  CHECK_MESSAGE(r.out.empty(), r.describe());  // lint findings are printed
  CHECK_MESSAGE(r.err.empty(), r.describe());
  CHECK(text.find("strata_kafka_requests_total{api=\"ApiVersions\"} 1") != std::string::npos);
}

TEST_CASE("metrics: a real Prometheus server scrapes the broker and finds the produce counter") {
  if (!installed("/usr/bin/prometheus")) {
    MESSAGE("SKIPPED: /usr/bin/prometheus is missing (Debian package prometheus; scripts/install-deps.sh)");
    return;
  }
  ClientFixture f({"--metrics-listen", "127.0.0.1:0"});
  f.client->create_topic("scraped", 1);
  produce(*f.client, "scraped", 42);
  TempDir dir;
  const std::uint16_t port = free_port();
  const auto config = dir.path() / "prometheus.yml";
  std::ofstream(config) << "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                        << "scrape_configs:\n  - job_name: strata\n    static_configs:\n"
                        << "      - targets: ['" << metrics_address(*f.broker.broker) << "']\n";
  ChildProcess prometheus({"/usr/bin/prometheus", "--config.file=" + config.string(),
                           "--storage.tsdb.path=" + (dir.path() / "tsdb").string(),
                           "--web.listen-address=127.0.0.1:" + std::to_string(port)});
  const std::string api = "127.0.0.1:" + std::to_string(port);
  const std::string query = "/api/v1/query?query=strata_messages_in_total%7Btopic%3D%22scraped%22%7D";
  std::string last;
  bool found = false;
  const auto deadline = std::chrono::steady_clock::now() + 45s;
  while (!found && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(500ms);
    try {
      const auto reply = cli::http_get(api, query, 2s);
      last = reply.body;
      // {"status":"success","data":{"resultType":"vector","result":[{"metric":{...},"value":[T,"42"]}]}}
      found = reply.status == 200 && last.find("\"job\":\"strata\"") != std::string::npos &&
              last.find(",\"42\"]") != std::string::npos;
    } catch (const cli::HttpError& e) {
      last = e.what();  // not listening yet
    }
  }
  ::kill(prometheus.pid(), SIGKILL);
  const ProcessResult r = prometheus.wait(10s);
  CHECK_MESSAGE(found, "last answer: " << last << "\nprometheus: " << r.err.substr(0, 4000));
}

}  // namespace strata::it
