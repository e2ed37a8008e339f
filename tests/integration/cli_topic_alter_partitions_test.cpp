// `strata topic alter NAME --partitions N` (issue 16): partitions are
// added, never removed; the new ones take records at once, keep them across
// a restart, and the CLI says that keys map differently.
#include "tests/integration/cli_test_util.h"

namespace strata::it {

using namespace cli_tests;

TEST_CASE("strata CLI: topic alter --partitions grows a topic, never shrinks it, and survives a restart") {
  ClientFixture f;
  REQUIRE(f.cli({"topic", "create", "grow", "--partitions", "2"}).code == 0);
  produce_values(*f.client, "grow", 1, {"old"});
  const auto r = f.cli({"topic", "alter", "grow", "--partitions", "5"});
  REQUIRE_MESSAGE(r.code == 0, r.describe());
  CHECK(r.out.find("partitions=5 (was 2") != std::string::npos);
  CHECK(r.out.find("another partition") != std::string::npos);
  CHECK(f.client->describe_topic("grow").partitions == 5);
  CHECK(f.cli({"produce", "grow", "-p", "4"}, "new\n").code == 0);
  CHECK(f.cli({"consume", "grow", "-p", "4"}).out == "new\n");

  check_one_line_error(f.cli({"topic", "alter", "grow", "--partitions", "3"}), 1,
                       {"INVALID_PARTITIONS", "has 5 partitions", "never removed"});
  check_one_line_error(f.cli({"topic", "alter", "grow", "--partitions", "6", "--retention-ms", "1000"}), 2,
                       {"--partitions alone"});
  CHECK(f.client->describe_topic("grow").partitions == 5);

  f.broker.restart({"--listen", f.address});
  CHECK(f.cli({"consume", "grow", "-p", "4"}).out == "new\n");
  CHECK(f.cli({"consume", "grow", "-p", "1"}).out == "old\n");
  const auto described = f.cli({"topic", "describe", "grow"});
  CHECK(described.out.find("(5 partitions)") != std::string::npos);
}

}  // namespace strata::it
