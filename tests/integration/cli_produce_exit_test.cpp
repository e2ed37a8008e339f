// Integration tests of how `strata produce` and the Producer end when the
// broker or the topic goes away mid-run (issue 25 items 6 and 7): send()
// blocks at most max_block_ms, and the CLI prints "sent N of M" on every
// exit path; SIGINT sends what was read and exits 130 (issue 16). The CLI reads a FIFO the test writes, so each step happens
// at a known point of the run.
#include "tests/integration/cli_test_util.h"
#include "tests/integration/fifo.h"

namespace strata::it {

using namespace cli_tests;
using namespace std::chrono_literals;

namespace {

// SIGSTOP and wait until every thread of the broker is stopped: kill()
// returns before they are, and a broker still running for a moment stores
// more records than the test expects.
void pause_broker(BrokerProcess& broker) {
  broker.signal(SIGSTOP);
  const std::string tasks = "/proc/" + std::to_string(broker.pid()) + "/task";
  REQUIRE(eventually(
      [&] {
        for (const auto& t : std::filesystem::directory_iterator(tasks)) {
          std::ifstream stat(t.path() / "stat");
          std::string line;
          std::getline(stat, line);
          const auto close = line.rfind(')');
          if (close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'T') return false;
        }
        return true;
      },
      5s));
}

// A produce run that ended on a failure: exit 1 and one summary line on
// stderr starting with `prefix` and containing every one of `parts`.
void check_summary(const ProcessResult& r, const std::string& prefix, const std::vector<std::string>& parts) {
  INFO(r.describe());
  CHECK(r.exited);
  CHECK(r.code == 1);
  CHECK(r.err.starts_with(prefix));
  for (const auto& part : parts) CHECK_MESSAGE(r.err.find(part) != std::string::npos, "stderr lacks '" << part << "'");
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

}  // namespace

// Item 7: a topic deleted mid-run left only "strata: UNKNOWN_TOPIC ..."
// (the next send() threw) although 16 lines had been stored durably.
TEST_CASE("strata CLI: produce prints 'sent N of M' when the topic is deleted mid-run") {
  ClientFixture f;
  const std::string topic = "vanishing";
  f.client->create_topic(topic, 1);
  Fifo input;
  ChildProcess cli({strata_cli_binary(), "--broker", f.address, "produce", topic, "--file", input.path(), "--acks",
                    "durable", "--linger", "0"});
  input.open_for_writing();
  REQUIRE(input.write(lines(1, 16)));
  REQUIRE_MESSAGE(eventually([&] { return stored(f, topic) == 16; }, 10s), "stderr: " << cli.err());
  f.client->delete_topic(topic);
  (void)input.write(lines(17, 17));  // fails at the broker: UNKNOWN_TOPIC
  std::this_thread::sleep_for(300ms);
  (void)input.write(lines(18, 30));  // the CLI stops before sending these
  input.close();
  check_summary(cli.wait(20s), "sent 16 of 17 messages to " + topic + "; 1 failed (line 17): UNKNOWN_TOPIC",
                {"stopped reading input after line 17"});
}

// Item 6: with the broker not answering (here SIGSTOP), send() waited for
// buffer space forever and the CLI printed nothing.
TEST_CASE("strata CLI: produce stops with a summary when the broker stops answering (--max-block)") {
  ClientFixture f;
  const std::string topic = "stalled";
  f.client->create_topic(topic, 1);
  Fifo input;
  ChildProcess cli({strata_cli_binary(), "--broker", f.address, "produce", topic, "--file", input.path(),
                    "--max-block", "500ms", "--buffer", "16KiB", "--linger", "0"});
  input.open_for_writing();
  REQUIRE(input.write(lines(1, 10)));
  REQUIRE_MESSAGE(eventually([&] { return stored(f, topic) == 10; }, 10s), "stderr: " << cli.err());
  pause_broker(*f.broker.broker);
  const auto stopped_at = std::chrono::steady_clock::now();
  // Far more than 16 KiB: the buffer fills and send() has to block.
  for (int block = 0; block < 20 && input.write(lines(11 + block * 1000, 10 + (block + 1) * 1000)); ++block) {
  }
  input.close();
  const auto r = cli.wait(20s);
  const auto took = std::chrono::steady_clock::now() - stopped_at;
  f.broker.broker->signal(SIGCONT);
  CHECK(took < 10s);
  check_summary(r, "sent 10 of ", {"not acknowledged within --max-block", "is unreachable or not keeping up"});
}

// Item 6, the library: send() throws once max_block_ms passes without
// buffer space, saying why.
TEST_CASE("client library: send() blocks at most max_block_ms for buffer space") {
  ClientFixture f;
  const std::string topic = "blocked";
  f.client->create_topic(topic, 1);
  ProducerOptions options;
  options.max_block_ms = 300;
  options.buffer_bytes = 8 * 1024;
  options.linger_ms = 0;
  ScopedProducer producer(*f.client, options);
  const std::string value(512, 'v');
  ProducerRecord record;
  record.topic = topic;
  record.value = value;
  producer->send(record);
  producer->flush();
  pause_broker(*f.broker.broker);
  const auto start = std::chrono::steady_clock::now();
  std::optional<strata::Error> error;
  for (int i = 0; i < 1000 && !error && std::chrono::steady_clock::now() - start < 20s; ++i) {
    try {
      producer->send(record);
    } catch (const strata::Error& e) {
      error = e;
    }
  }
  const auto took = std::chrono::steady_clock::now() - start;
  f.broker.broker->signal(SIGCONT);
  REQUIRE(error.has_value());
  CHECK(error->kind() == strata::Error::Kind::timeout);
  CHECK(std::string(error->what()).find("max_block_ms (300 ms)") != std::string::npos);
  CHECK(std::string(error->what()).find("unreachable") != std::string::npos);
  CHECK(took >= 300ms);
  CHECK(took < 5s);
  CHECK(producer->flush_for(20s));  // the broker answers again: everything queued finishes
}

// Issue 16: SIGINT killed `strata produce` without a summary, dropping the
// batch still lingering. Now what was read is sent, the summary printed,
// and the exit code is 130; a second SIGINT quits at once.
TEST_CASE("strata CLI: SIGINT during produce sends what was read, prints the summary and exits 130") {
  ClientFixture f;
  const std::string topic = "interrupted";
  f.client->create_topic(topic, 1);
  Fifo input;
  // A long linger: the lines wait in the producer's batch when SIGINT comes.
  ChildProcess cli({strata_cli_binary(), "--broker", f.address, "produce", topic, "--file", input.path(), "--linger",
                    "30s"});
  input.open_for_writing();
  REQUIRE(input.write(lines(1, 7)));
  std::this_thread::sleep_for(300ms);  // read and queued, not sent
  REQUIRE(stored(f, topic) == 0);
  cli.signal(SIGINT);
  const ProcessResult r = cli.wait(20s);
  INFO(r.describe());
  CHECK(r.exited);
  CHECK(r.code == 130);
  CHECK(r.err.starts_with("sent 7 of 7 messages to " + topic));
  CHECK(r.err.find("interrupted") != std::string::npos);
  CHECK(stored(f, topic) == 7);
}

TEST_CASE("strata CLI: a second SIGINT ends produce at once, exit 130") {
  ClientFixture f;
  f.client->create_topic("twice", 1);
  Fifo input;
  ChildProcess cli({strata_cli_binary(), "--broker", f.address, "produce", "twice", "--file", input.path(),
                    "--linger", "30s", "--max-block", "60s"});
  input.open_for_writing();
  REQUIRE(input.write(lines(1, 3)));
  std::this_thread::sleep_for(300ms);
  // The flush after the first SIGINT waits for an answer. Paused for real
  // (a bare SIGSTOP returns before the threads stop, and a broker still
  // answering let the CLI exit after the first SIGINT: 1 run in 20 here).
  pause_broker(*f.broker.broker);
  cli.signal(SIGINT);
  std::this_thread::sleep_for(300ms);
  CHECK(cli.running());
  const auto t0 = std::chrono::steady_clock::now();
  cli.signal(SIGINT);
  const ProcessResult r = cli.wait(10s);
  f.broker.broker->signal(SIGCONT);
  INFO(r.describe());
  CHECK(r.exited);
  CHECK(r.code == 130);
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
}

}  // namespace strata::it
