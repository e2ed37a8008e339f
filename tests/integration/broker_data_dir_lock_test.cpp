// A broker holds an exclusive lock on its data directory for its whole life
// (storage/data_dir_lock.h). Before it, two brokers on one directory both
// served, and records acknowledged by the second were gone after a restart.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

namespace fs = std::filesystem;
using protocol::ErrorCode;

// Starting a broker on `dir` must fail; returns what it said.
std::string refusal(const fs::path& dir) {
  auto said = refused_start(dir);
  if (!said) FAIL("a second broker started on " << dir);
  return said.value_or("");
}

}  // namespace

TEST_CASE("data dir lock: a second broker on the same directory is refused, naming the holder's PID") {
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("held", 1).error == ErrorCode::none);
  REQUIRE(c->produce("held", 0, make_batch(make_records("a", 0, 3, now_ms()))).error == ErrorCode::none);

  const std::string said = refusal(f.data_dir());
  INFO(said);
  CHECK(said.find("in use by another strata-broker (PID " + std::to_string(f.broker->pid()) + ",") !=
        std::string::npos);
  CHECK(said.find("another --data-dir") != std::string::npos);
  // Refused before it read anything: no topic was loaded, no recovery ran.
  CHECK(said.find("loaded") == std::string::npos);
  CHECK(said.find("listening on") == std::string::npos);

  // The first broker is unharmed and still the only writer.
  CHECK(c->produce("held", 0, make_batch(make_records("b", 0, 2, now_ms()))).error == ErrorCode::none);
  CHECK(read_partition(*c, "held", 0).size() == 5);
}

TEST_CASE("data dir lock: the lock goes with its holder, even after kill -9, and the file names the new PID") {
  BrokerFixture f;
  REQUIRE(f.client()->create_topic("t", 1).error == ErrorCode::none);
  f.broker->kill9();
  f.restart();
  std::ifstream in(f.data_dir() / "strata~lock");
  std::string pid;
  in >> pid;
  CHECK(pid == std::to_string(f.broker->pid()));
  CHECK(f.broker->wait_for_log("listening on"));
  CHECK_FALSE(f.broker->wait_for_log("not a topic directory"));
  CHECK(f.client()->metadata({"t"}).topics.size() == 1);
}

}  // namespace strata::it
