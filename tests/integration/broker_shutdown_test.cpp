// Clean shutdown of many dirty partitions: SIGTERM closes them all at once
// (PartitionLog::close_many: three file-system syncs, not ~7 fsyncs each),
// exits 0, and the restart trusts every partition's marker and finds every
// message.
#include <doctest/doctest.h>

#include <string>

#include "storage/checkpoint.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using protocol::ErrorCode;

constexpr std::uint32_t kTopics = 50;
constexpr std::uint32_t kPartitions = 10;

std::string topic_name(std::uint32_t t) { return "s" + std::to_string(t); }

}  // namespace

TEST_CASE("broker shutdown: SIGTERM with 500 dirty partitions exits 0 and the restart opens every one clean") {
  // No background flush: every partition still has unsynced appends when
  // the signal comes.
  const std::vector<std::string> args{"--flush-interval-ms", "0", "--log-level", "debug"};
  BrokerFixture f(args);
  {
    auto c = f.client();
    for (std::uint32_t t = 0; t < kTopics; ++t) {
      REQUIRE(c->create_topic(topic_name(t), kPartitions).error == ErrorCode::none);
      for (std::uint32_t p = 0; p < kPartitions; ++p) {
        const std::string prefix = topic_name(t) + "-" + std::to_string(p);
        const auto batch = make_batch(make_records(prefix, 0, 2, now_ms(), 50));
        REQUIRE(c->produce(topic_name(t), p, batch, protocol::Acks::leader).error == ErrorCode::none);
      }
    }
  }
  const auto st = f.broker->stop(SIGTERM, 60s);
  REQUIRE(st.exited);
  CHECK(st.code == 0);
  CHECK(f.broker->count_log("closed all 500 partitions in ") == 1);
  CHECK(f.broker->count_log("closed 500 partitions cleanly at once") == 1);  // all dirty, all vouched for
  CHECK(f.broker->count_log("clean shutdown failed") == 0);
  for (std::uint32_t t = 0; t < kTopics; ++t) {
    for (std::uint32_t p = 0; p < kPartitions; ++p) {
      REQUIRE(std::filesystem::exists(f.partition_dir(topic_name(t), p) / storage::kCleanShutdownFile));
    }
  }

  f.restart(args);
  CHECK(f.broker->count_log("opened after clean shutdown") == kTopics * kPartitions);
  for (std::uint32_t t = 0; t < kTopics; ++t) {
    CHECK(f.broker->count_log("loaded topic " + topic_name(t) + ": 10 partitions, clean, scanned 0 bytes") == 1);
  }
  auto c = f.client();
  for (std::uint32_t t = 0; t < kTopics; ++t) {
    for (std::uint32_t p = 0; p < kPartitions; ++p) {
      CAPTURE(topic_name(t));
      CAPTURE(p);
      const auto records = read_partition(*c, topic_name(t), p);
      REQUIRE(records.size() == 2);
      const std::string prefix = topic_name(t) + "-" + std::to_string(p);
      CHECK(records.at(0).key == prefix + "-k0");
      CHECK(records.at(1).key == prefix + "-k1");
    }
  }
}

}  // namespace strata::it

namespace strata::it {

// Issue 16: the broker's own lines read as sentences a person would write
// ("strata-broker starting: data.dir=D shards=2", "received SIGTERM,
// shutting down", "removed strata~deleting~1 in 1 ms" did not): no
// key=value fragments outside the settings it lists, and a shutdown that
// says what it does.
TEST_CASE("broker log: start, topic deletion and shutdown read as sentences") {
  BrokerFixture f;
  {
    auto c = f.client();
    REQUIRE(c->create_topic("told", 2).error == protocol::ErrorCode::none);
    REQUIRE(c->delete_topic("told").error == protocol::ErrorCode::none);
  }
  REQUIRE(eventually([&] { return f.broker->count_log("deleted topic told") == 1; }, 10s));
  const auto st = f.broker->stop(SIGTERM);
  REQUIRE(st.exited);
  const std::string log = f.broker->log_text();
  INFO(log);
  for (const char* sentence :
       {"strata-broker is starting (data directory ", "created a new data directory ",
        "loaded 0 topics with 0 partitions from ", "closed the 2 partitions of topic told in ",
        "its files are being removed in the background", "removed the files of a deleted topic (strata~deleting~",
        "received SIGTERM: shutting down; new connections are refused and open ones get 3 s to finish",
        "closed all 0 partitions in ", "the broker stopped cleanly"}) {
    CHECK_MESSAGE(f.broker->count_log(sentence) == 1, "no line says '" << sentence << "'");
  }
  for (const auto& line : f.broker->log_lines()) {
    if (line.find(" config ") != std::string::npos) continue;  // the settings, listed as key = value
    const auto eq = line.find('=');
    const bool fragment = eq != std::string::npos && eq > 0 && eq + 1 < line.size() && line[eq - 1] != ' ' &&
                          line[eq + 1] != ' ';
    CHECK_MESSAGE(!fragment, "a key=value fragment: " << line);
  }
}

}  // namespace strata::it
