// Deleting topics whose names are long (issue 16): every legal name (1-249
// characters) creates, deletes and stays deleted. Before, the deletion
// renamed <topic> to <topic>~deleting<N>, which outgrew NAME_MAX for names
// of 244-249 characters: DeleteTopic answered NONE, the files stayed, the
// re-created topic had the old records and a restart listed it again.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "protocol/record.h"
#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

namespace fs = std::filesystem;
using protocol::ErrorCode;

// A legal topic name of `length` characters, distinct per `tag`.
std::string long_name(std::size_t length, char tag) { return std::string(length - 1, 'n') + tag; }

std::int64_t log_end(WireClient& c, const std::string& topic) {
  const auto r = c.list_offset(topic, 0, protocol::kLatestTimestamp);
  REQUIRE(r.error == ErrorCode::none);
  return r.offset;
}

}  // namespace

TEST_CASE("broker topic delete: names of 1 to 249 characters delete, come back empty and stay deleted") {
  BrokerFixture f;
  std::vector<std::string> names;
  for (std::size_t length : {1, 200, 244, 246, 249}) names.push_back(long_name(length, 'a'));
  names.push_back(long_name(249, 'b'));  // deleted, not re-created: must stay deleted over a restart
  {
    auto c = f.client();
    for (const auto& name : names) {
      INFO("name of " << name.size() << " characters");
      REQUIRE(c->create_topic(name, 1).error == ErrorCode::none);
      REQUIRE(c->produce(name, 0, make_batch(make_records("old", 0, 3, now_ms()))).error == ErrorCode::none);
      REQUIRE(c->delete_topic(name).error == ErrorCode::none);
      CHECK_FALSE(fs::exists(f.data_dir() / name));
      if (name == names.back()) break;
      REQUIRE(c->create_topic(name, 1).error == ErrorCode::none);
      CHECK(log_end(*c, name) == 0);  // not the old records
    }
  }
  f.restart();
  auto c = f.client();
  CHECK(c->metadata({names.back()}).topics.at(0).error == ErrorCode::unknown_topic);
  for (std::size_t i = 0; i + 1 < names.size(); ++i) CHECK(log_end(*c, names[i]) == 0);
  // The root holds the re-created topics and strata's own files, nothing else.
  std::size_t topics = 0;
  for (const auto& e : fs::directory_iterator(f.data_dir())) {
    const std::string n = e.path().filename().string();
    CHECK_MESSAGE((n.starts_with("strata~") || n.starts_with("n") || n == "a"), n);
    CHECK(n.find("deleting") == std::string::npos);
    if (!n.starts_with("strata~")) ++topics;
  }
  CHECK(topics == names.size() - 1);
  INFO(f.broker->log_text());
  CHECK(f.broker->count_log("WARN") == 0);
  CHECK(f.broker->count_log("ERROR") == 0);
}

TEST_CASE("broker topic delete: a deletion a crash interrupted is finished at the next start") {
  BrokerFixture f;
  const std::string marked = long_name(249, 'm');
  {
    auto c = f.client();
    REQUIRE(c->create_topic(marked, 2).error == ErrorCode::none);
    REQUIRE(c->create_topic("kept", 1).error == ErrorCode::none);
  }
  f.broker->kill9();
  // Step 1 of a deletion done (the marker), step 2 not; and leftovers of
  // step 2 in both the current and the pre-issue-16 naming.
  std::ofstream(f.data_dir() / marked / "strata~deleting").flush();
  fs::create_directories(f.data_dir() / "strata~deleting~1" / "0");
  fs::create_directories(f.data_dir() / "old~deleting3" / "0");
  f.restart();
  auto c = f.client();
  CHECK(c->metadata({marked}).topics.at(0).error == ErrorCode::unknown_topic);
  CHECK(c->metadata({"kept"}).topics.at(0).error == ErrorCode::none);
  CHECK_FALSE(fs::exists(f.data_dir() / marked));
  // Removed in the background, after the start.
  CHECK(eventually([&] { return !fs::exists(f.data_dir() / "strata~deleting~1"); }, 10s));
  CHECK(eventually([&] { return !fs::exists(f.data_dir() / "old~deleting3"); }, 10s));
  CHECK(f.broker->wait_for_log("finishing the deletion of"));
  REQUIRE(c->create_topic(marked, 1).error == ErrorCode::none);
  CHECK(log_end(*c, marked) == 0);
}

}  // namespace strata::it
