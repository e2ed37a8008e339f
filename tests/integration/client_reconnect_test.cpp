// Integration test of the client library across a broker restart: the
// broker is stopped with SIGTERM and started again on the same port and
// data directory, and a Client, Producer and Consumer created before keep
// working (network errors are retried / the connection re-opened).
#include <doctest/doctest.h>

#include <atomic>
#include <csignal>
#include <map>
#include <memory>
#include <set>

#include "tests/integration/client_test_util.h"

namespace strata::it {
namespace {

using strata::Error;

// A broker on a fixed loopback port (BrokerProcess always asks for an
// ephemeral one, which a restart could not reuse).
class FixedPortBroker {
 public:
  FixedPortBroker(const std::filesystem::path& data_dir, std::uint16_t port)
      : child_(std::make_unique<ChildProcess>(std::vector<std::string>{
            broker_binary(), "--listen", "127.0.0.1:" + std::to_string(port), "--data-dir", data_dir.string(),
            "--shards", "2", "--metrics-listen", "127.0.0.1:0"})) {
    if (!child_->wait_for_err("listening on 127.0.0.1:" + std::to_string(port), 10s)) {
      const auto r = child_->wait(2s);
      throw std::runtime_error("strata-broker did not start on port " + std::to_string(port) + ": " + r.describe());
    }
  }
  // SIGTERM, and how the broker ended.
  ProcessResult stop() {
    child_->signal(SIGTERM);
    return child_->wait(10s);
  }

 private:
  std::unique_ptr<ChildProcess> child_;
};

struct Ack {
  std::atomic<bool> done{false};
  std::uint32_t partition = 0;
  std::int64_t offset = -2;
  std::string error;
};

}  // namespace

TEST_CASE("client library: Client, Producer and Consumer keep working across a broker restart on the same port") {
  TempDir dir;
  const auto data_dir = dir.path() / "data";
  const std::uint16_t port = free_port();
  const std::string address = "127.0.0.1:" + std::to_string(port);
  auto broker = std::make_unique<FixedPortBroker>(data_dir, port);

  Client client(ClientOptions{address});
  client.create_topic("restart", 2);

  constexpr std::size_t kTotal = 1250;
  std::vector<std::string> values(kTotal);
  std::vector<Ack> acks(kTotal);
  std::size_t next = 0;
  auto send = [&](Producer& producer, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k, ++next) {
      const std::size_t i = next;
      values[i] = "restart-" + std::to_string(i);
      ProducerRecord r;
      r.topic = "restart";
      r.key = values[i];
      r.value = values[i];
      producer.send(r, [&acks, i](const RecordMetadata* m, const strata::Error* e) {
        Ack& a = acks[i];
        if (e != nullptr) {
          a.error = e->what();
        } else {
          a.partition = m->partition;
          a.offset = m->offset;
        }
        a.done = true;
      });
    }
  };
  auto check_acked = [&](std::size_t from, std::size_t to) {
    std::size_t failed = 0;
    std::string first;
    for (std::size_t i = from; i < to; ++i) {
      if (!acks[i].done || !acks[i].error.empty() || acks[i].offset < 0) {
        if (failed++ == 0) first = "record " + std::to_string(i) + ": " + (acks[i].done ? acks[i].error : "no callback");
      }
    }
    CHECK_MESSAGE(failed == 0, failed << " of " << (to - from) << " records failed; first: " << first);
  };

  Consumer consumer(client);
  consumer.assign("restart", 0, StartPosition::earliest());
  consumer.assign("restart", 1, StartPosition::earliest());
  std::size_t consumed = 0;

  Producer producer(client);
  // 1. Normal operation.
  send(producer, 100);
  producer.flush();
  check_acked(0, 100);
  for (int i = 0; i < 20 && consumed < 100; ++i) consumed += consumer.poll(200).size();
  CHECK(consumed == 100);

  // 2. A clean stop, then a restart on the same port and data directory.
  {
    const auto stopped = broker->stop();
    INFO(stopped.describe());
    CHECK(stopped.exited);
    CHECK(stopped.code == 0);
  }
  broker = std::make_unique<FixedPortBroker>(data_dir, port);
  send(producer, 100);
  producer.flush();
  check_acked(100, 200);
  CHECK(client.partition_count("restart", true) == 2);  // admin calls reconnect too

  // 3. Records sent while the broker is down are retried until it is back.
  CHECK(broker->stop().code == 0);
  send(producer, 50);
  std::this_thread::sleep_for(250ms);
  broker = std::make_unique<FixedPortBroker>(data_dir, port);
  producer.flush();
  check_acked(200, 250);

  // 4. A restart in the middle of a steady stream of records. (The test
  // thread restarts the broker: a child dies with the thread that forked it.)
  std::string send_error;
  std::thread stream([&] {
    try {
      for (int k = 0; k < 1000; ++k) {
        send(producer, 1);
        std::this_thread::sleep_for(1ms);
      }
    } catch (const std::exception& e) {
      send_error = e.what();
    }
  });
  std::this_thread::sleep_for(300ms);
  {
    const auto stopped = broker->stop();
    CHECK_MESSAGE(stopped.code == 0, stopped.describe());
  }
  broker = std::make_unique<FixedPortBroker>(data_dir, port);
  stream.join();
  REQUIRE_MESSAGE(send_error.empty(), send_error);
  producer.flush();
  check_acked(250, kTotal);
  REQUIRE(next == kTotal);

  // The consumer created before the restarts reads on where it was. A poll
  // on a connection the broker closed may fail once; the next reconnects.
  int network_errors = 0;
  std::map<std::pair<std::uint32_t, std::uint64_t>, std::string> read;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (consumed + read.size() < kTotal && std::chrono::steady_clock::now() < deadline) {
    try {
      for (const auto& r : consumer.poll(200)) read[{r.partition, r.offset}] = r.value.value_or("(null)");
    } catch (const Error& e) {
      CHECK_MESSAGE(e.kind() == Error::Kind::network, std::string(e.what()));
      ++network_errors;
      std::this_thread::sleep_for(50ms);
    }
  }
  CHECK(network_errors <= 1);

  // Every record is in the log exactly once, where its callback said.
  const auto all = consume_all(client, "restart", {0, 1}, StartPosition::earliest());
  CHECK(all.size() == kTotal);
  std::map<std::string, int> copies;
  for (const auto& r : all) ++copies[r.value.value_or("(null)")];
  std::size_t missing = 0, duplicated = 0;
  for (const auto& v : values) {
    if (copies[v] == 0) ++missing;
    if (copies[v] > 1) ++duplicated;
  }
  CHECK(missing == 0);
  CHECK(duplicated == 0);
  for (const auto& r : all) {
    const std::size_t i = std::stoul(r.value->substr(8));
    CHECK(acks[i].partition == r.partition);
    CHECK(acks[i].offset == static_cast<std::int64_t>(r.offset));
  }
  CHECK(read.size() == kTotal - 100);
}

}  // namespace strata::it
