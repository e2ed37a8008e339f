// How the CLI finds the broker, with kcat's and rpk's habits (issue 16):
// -b/--broker anywhere on the line, a comma-separated bootstrap list (the
// first that answers), IPv6 in brackets, host names, on the broker's
// --listen too; and errors that name what the user typed.
#include <filesystem>

#include "tests/integration/cli_test_util.h"

namespace strata::it {

using namespace cli_tests;

TEST_CASE("strata CLI: -b/--broker anywhere on the line, and a bootstrap list uses the first that answers") {
  ClientFixture f;
  const std::string dead = "127.0.0.1:" + std::to_string(free_port());
  const auto created = run_strata("", {"topic", "create", "hab", "--partitions", "1", "-b", f.address});
  REQUIRE_MESSAGE(created.code == 0, created.describe());
  const auto listed = run_strata("", {"topic", "list", "--broker", dead + "," + f.address});
  CHECK_MESSAGE(listed.code == 0, listed.describe());
  CHECK(listed.out.find("hab") != std::string::npos);
  const auto produced = run_strata("", {"produce", "hab", "--broker=" + f.address}, "one\ntwo\n");
  CHECK_MESSAGE(produced.code == 0, produced.describe());
  const auto consumed = run_strata("", {"-b" + f.address, "consume", "hab", "-n", "2"});
  CHECK(consumed.out == "one\ntwo\n");
  // Every address failing: each is named.
  const std::string dead2 = "127.0.0.1:" + std::to_string(free_port());
  check_one_line_error(run_strata("", {"topic", "list", "-b", dead + "," + dead2}), 1, {dead, dead2, "cannot connect"});
}

TEST_CASE("strata CLI: host names and bracketed IPv6, on the broker's --listen and the CLI's --broker") {
  const std::uint16_t port = free_port();
  ClientFixture f({"--listen", "localhost:" + std::to_string(port)});
  const std::string named = "localhost:" + std::to_string(port);
  const auto r = run_strata(named, {"topic", "create", "named", "--partitions", "1"});
  CHECK_MESSAGE(r.code == 0, r.describe());
  bool v6 = false;
  std::unique_ptr<BrokerProcess> b6;
  try {
    b6 = std::make_unique<BrokerProcess>(f.broker.data.path() / "v6", std::vector<std::string>{"--listen", "[::1]:0"});
    v6 = true;
  } catch (const std::runtime_error& e) {
    MESSAGE("no IPv6 loopback here: " << e.what());
  }
  if (v6) {
    const std::string addr = "[::1]:" + std::to_string(b6->port());
    const auto c = run_strata(addr, {"topic", "create", "v6", "--partitions", "1"});
    CHECK_MESSAGE(c.code == 0, c.describe());
    CHECK(run_strata(addr, {"topic", "list"}).out.find("v6") != std::string::npos);
  }
  check_one_line_error(run_strata("::1:9392", {"topic", "list"}), 1, {"[::1]:9392", "brackets"});
}

TEST_CASE("strata CLI: a missing positional is named as the usage writes it") {
  ClientFixture f;
  check_one_line_error(f.cli({"produce"}), 2, {"produce: missing TOPIC"});
  check_one_line_error(f.cli({"consume"}), 2, {"consume: missing TOPIC"});
  check_one_line_error(f.cli({"offsets"}), 2, {"offsets: missing TOPIC"});
  check_one_line_error(f.cli({"topic", "delete"}), 2, {"missing NAME"});
}

TEST_CASE("strata CLI: produce --file on a directory or a missing file says which") {
  ClientFixture f;
  REQUIRE(f.cli({"topic", "create", "files", "--partitions", "1"}).code == 0);
  const auto dir = f.broker.data.path();
  check_one_line_error(f.cli({"produce", "files", "--file", dir.string()}), 2, {dir.string(), "is a directory"});
  check_one_line_error(f.cli({"produce", "files", "--file", (dir / "absent.txt").string()}), 2,
                       {"absent.txt", "does not exist"});
}

}  // namespace strata::it
