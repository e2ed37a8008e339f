// Integration tests of the broker's configuration as an operator meets it
// (issue 25 item 9): a key repeated in the config file is refused, naming
// it and both lines, and every setting in effect is logged once at start.
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include "tests/integration/cli_runner.h"
#include "tests/integration/test_util.h"

namespace strata::it {

TEST_CASE("broker config: a key set twice in the config file is refused, naming it and both lines") {
  TempDir dir;
  const auto path = dir.path() / "broker.conf";
  std::ofstream(path) << "# settings\nretention.ms = 1000\nsegment.bytes = 2048\n\nretention.ms=5000\n";
  ChildProcess broker({broker_binary(), "--config", path.string(), "--data-dir", (dir.path() / "data").string(),
                       "--listen", "127.0.0.1:0"});
  const auto r = broker.wait(10s);
  INFO(r.describe());
  CHECK(r.exited);
  CHECK(r.code == 2);
  CHECK(r.err == "strata-broker: " + path.string() + ":5: 'retention.ms' is set twice (lines 2 and 5); keep one\n");
}

TEST_CASE("broker config: every setting in effect is logged once at start-up") {
  TempDir conf_dir;
  const auto path = conf_dir.path() / "broker.conf";
  std::ofstream(path) << "segment.bytes = 2048\nmax.connections = 500\n";
  BrokerFixture f({"--config", path.string(), "--max-connections", "77", "--auto-create-topics", "true"});
  // The keys are --help's flags with dots for dashes (data-dir -> data.dir).
  const auto help = ChildProcess({broker_binary(), "--help"}).wait(10s);
  std::set<std::string> keys;
  for (std::size_t at = help.out.find("\n  --"); at != std::string::npos; at = help.out.find("\n  --", at + 1)) {
    std::string flag = help.out.substr(at + 5, help.out.find(' ', at + 5) - at - 5);
    if (flag == "help" || flag == "config" || flag == "version") continue;  // not settings
    keys.insert(flag);
  }
  REQUIRE(keys.size() >= 20);
  std::set<std::string> logged;
  for (const auto& line : f.broker->log_lines()) {
    const auto at = line.find("INFO  config ");
    if (at == std::string::npos) continue;
    std::string key = line.substr(at + 13, line.find(" = ", at) - at - 13);
    CHECK_MESSAGE(logged.insert(key).second, key << " logged twice");
  }
  std::set<std::string> logged_flags;
  for (std::string key : logged) {
    for (char& c : key) c = c == '.' ? '-' : c;
    logged_flags.insert(key);
  }
  CHECK(logged_flags == keys);
  const std::string log = f.broker->log_text();
  CHECK(log.find("config max.connections = 77\n") != std::string::npos);  // the flag beats the file
  CHECK(log.find("config segment.bytes = 2048\n") != std::string::npos);  // from the file
  CHECK(log.find("config auto.create.topics = true\n") != std::string::npos);
  CHECK(log.find("config shards = 2\n") != std::string::npos);
  CHECK(log.find("config retention.ms = 604800000\n") != std::string::npos);  // a default
}

}  // namespace strata::it
