// Deleting a large topic answers promptly and finishes in the background
// (issue 16): a 10,000-partition topic took about 110 s inside one
// DeleteTopic call, while Metadata hid it, CreateTopic said TOPIC_EXISTS and
// DeleteTopic said UNKNOWN_TOPIC. Now the name answers TOPIC_BEING_DELETED
// (retriable) everywhere until the deletion ends, and a deletion the broker
// did not finish is finished after its next start.
#include <doctest/doctest.h>

#include <filesystem>

#include "protocol/record.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

namespace fs = std::filesystem;
using protocol::ErrorCode;
constexpr std::uint32_t kPartitions = 2000;

// A topic of kPartitions partitions, a few of them with records.
void make_big_topic(WireClient& c, const std::string& name) {
  REQUIRE(c.create_topic(name, kPartitions).error == ErrorCode::none);
  for (std::uint32_t p = 0; p < kPartitions; p += 500) {
    REQUIRE(c.produce(name, p, make_batch(make_records("old", 0, 3, now_ms()))).error == ErrorCode::none);
  }
}

// Re-creates `name` once the deletion lets it: every answer before is
// TOPIC_BEING_DELETED. Returns how many there were.
int recreate_when_free(WireClient& c, const std::string& name) {
  int being_deleted = 0;
  for (int i = 0; i < 3000; ++i) {  // 30 s
    const auto r = c.create_topic(name, 1);
    if (r.error == ErrorCode::none) return being_deleted;
    REQUIRE_MESSAGE(r.error == ErrorCode::topic_being_deleted, r.message);
    CHECK(r.message.find("retry") != std::string::npos);
    ++being_deleted;
    std::this_thread::sleep_for(10ms);
  }
  FAIL("the deletion of " << name << " never finished");
  return being_deleted;
}

}  // namespace

TEST_CASE("broker topic delete: a large topic answers at once, is TOPIC_BEING_DELETED, then gone") {
  BrokerFixture f({"--delete-topic-wait-ms", "0"});
  auto c = f.client();
  make_big_topic(*c, "big");
  const auto t0 = std::chrono::steady_clock::now();
  REQUIRE(c->delete_topic("big").error == ErrorCode::none);
  const auto answered = std::chrono::steady_clock::now() - t0;
  MESSAGE("DeleteTopic of " << kPartitions << " partitions answered in "
                            << std::chrono::duration_cast<std::chrono::microseconds>(answered).count() << " us");
  // Everything says the same about the name while the deletion runs.
  CHECK(c->delete_topic("big").error == ErrorCode::topic_being_deleted);
  CHECK(c->metadata({"big"}).topics.at(0).error == ErrorCode::topic_being_deleted);
  const auto all = c->metadata().topics;
  REQUIRE(all.size() == 1);
  CHECK(all[0].name == "big");
  CHECK(all[0].error == ErrorCode::topic_being_deleted);
  CHECK(protocol::error_info(ErrorCode::topic_being_deleted).retriable);
  CHECK(recreate_when_free(*c, "big") > 0);
  const auto t1 = std::chrono::steady_clock::now();
  MESSAGE("the deletion ended about "
          << std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count() << " ms after it began");
  CHECK(c->list_offset("big", 0, protocol::kLatestTimestamp).offset == 0);  // not the old records
  CHECK(eventually(
      [&] {
        for (const auto& e : fs::directory_iterator(f.data_dir())) {
          if (e.path().filename().string().find("deleting") != std::string::npos) return false;
        }
        return true;
      },
      30s));
  INFO(f.broker->log_text());
  CHECK(f.broker->wait_for_log("goes on in the background"));
  CHECK(f.broker->count_log("ERROR") == 0);
}

TEST_CASE("broker topic delete: a deletion cut short by kill -9 is finished after the restart") {
  BrokerFixture f({"--delete-topic-wait-ms", "0"});
  {
    auto c = f.client();
    make_big_topic(*c, "big");
    REQUIRE(c->create_topic("kept", 1).error == ErrorCode::none);
    REQUIRE(c->delete_topic("big").error == ErrorCode::none);
  }
  f.broker->kill9();  // most likely while the partitions close
  f.restart();
  auto c = f.client();
  CHECK(c->metadata({"big"}).topics.at(0).error == ErrorCode::unknown_topic);
  CHECK(c->metadata({"kept"}).topics.at(0).error == ErrorCode::none);
  REQUIRE(c->create_topic("big", 1).error == ErrorCode::none);
  CHECK(c->list_offset("big", 0, protocol::kLatestTimestamp).offset == 0);
  CHECK(eventually([&] { return f.broker->count_log("removed the files of a deleted topic (strata~deleting~") > 0; }, 30s));
}

}  // namespace strata::it
