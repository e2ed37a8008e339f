// Issue 16: what `strata produce` delivers when the topic's
// max.message.bytes is small, and across a broker restart; and that its
// summary names exactly which input lines failed.
#include "tests/integration/cli_test_util.h"
#include "tests/integration/fifo.h"

namespace strata::it {

using namespace cli_tests;
using namespace std::chrono_literals;

namespace {

std::string seq(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) out += std::to_string(i) + "\n";
  return out;
}

// `strata produce` on a 2-partition topic: lines 1..200 stored, the broker
// stopped, lines 201..last read while it is down, restarted 3 s later.
ProcessResult produce_across_restart(ClientFixture& f, const std::string& topic, const std::string& delivery_timeout,
                                     int last) {
  f.client->create_topic(topic, 2);
  Fifo input;
  ChildProcess cli({strata_cli_binary(), "--broker", f.address, "produce", topic, "--file", input.path(), "--linger",
                    "0", "--delivery-timeout", delivery_timeout});
  input.open_for_writing();
  REQUIRE(input.write(lines(1, 200)));
  REQUIRE_MESSAGE(eventually([&] { return stored(f, topic) == 200; }, 10s), "stderr: " << cli.err());
  f.broker.broker->stop(SIGTERM);
  REQUIRE(input.write(lines(201, last)));
  std::this_thread::sleep_for(3s);
  f.broker.restart({"--listen", f.address});
  input.close();
  return cli.wait(40s);
}

}  // namespace

// The producer sent 256 KiB batches whatever the topic took: with
// max.message.bytes 2KiB, `seq 1 1000 | strata produce` sent 0 of 1000.
TEST_CASE("strata CLI: produce sizes batches to the topic's max.message.bytes") {
  ClientFixture f;
  f.client->create_topic("small", 2, {{"max.message.bytes", "2048"}});
  const auto r = f.cli({"produce", "small"}, seq(1, 1000));
  INFO(r.describe());
  CHECK(r.code == 0);
  CHECK(r.err == "sent 1000 of 1000 messages to small\n");
  CHECK(stored(f, "small") == 1000);
}

// Only a record that alone exceeds the limit fails, naming its size and
// the limit; the lines after it are still sent.
TEST_CASE("strata CLI: produce fails only the records larger than max.message.bytes, naming each line") {
  ClientFixture f;
  f.client->create_topic("small", 1, {{"max.message.bytes", "2048"}});
  std::string input = seq(1, 2) + std::string(3000, 'x') + "\n" + seq(4, 6) + std::string(2100, 'y') + "\n" +
                      seq(8, 1000);
  const auto r = f.cli({"produce", "small"}, input);
  INFO(r.describe());
  CHECK(r.code == 1);
  CHECK(r.err.starts_with("sent 998 of 1000 messages to small; 2 failed (lines 3, 7): BATCH_TOO_LARGE: a record of 3"));
  CHECK(r.err.find("bytes (as a batch of one) exceeds topic small's max.message.bytes 2048") != std::string::npos);
  CHECK(r.err.find("a record of 21") != std::string::npos);
  CHECK(r.err.find("stopped reading") == std::string::npos);
  CHECK(stored(f, "small") == 998);
}

// A broker restarted within --delivery-timeout costs no line: the CLI
// once said "sent 412 of 500; 88 failed: cannot connect".
TEST_CASE("strata CLI: produce delivers every line across a 3 s broker restart") {
  ClientFixture f;
  const auto r = produce_across_restart(f, "restarted", "30s", 500);
  INFO(r.describe());
  CHECK(r.code == 0);
  CHECK(r.err == "sent 500 of 500 messages to restarted\n");
  CHECK(stored(f, "restarted") == 500);  // idempotence: a resend is not stored twice
}

// A restart longer than --delivery-timeout: the summary names exactly the
// lines that failed (those read while the broker was down).
TEST_CASE("strata CLI: produce names exactly the lines a broker outage longer than --delivery-timeout failed") {
  ClientFixture f;
  const auto r = produce_across_restart(f, "outage", "1s", 300);
  INFO(r.describe());
  CHECK(r.code == 1);
  CHECK(r.err.starts_with("sent 200 of 300 messages to outage; 100 failed (lines 201-300): "));
  CHECK(r.err.find("delivery") != std::string::npos);
  CHECK(stored(f, "outage") == 200);
}

}  // namespace strata::it
