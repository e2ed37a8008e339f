// ProducerIds in cluster mode: brokers allocating on their own never hand
// out the same producer id (issue 17: a client's producer writes to
// partitions on every broker, with an id from the one it asked).
#include <doctest/doctest.h>

#include "broker/core/producer_ids.h"
#include "storage/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace strata::broker {

TEST_CASE("producer ids of different nodes never collide, and standalone ids are unchanged") {
  test::TempDir dir{"strata-pids"};
  storage::PosixFileSystem fs;
  ProducerIds standalone(fs, dir.path() / "p0");
  ProducerIds one(fs, dir.path() / "p1");
  ProducerIds two(fs, dir.path() / "p2");
  REQUIRE(!standalone.load());
  REQUIRE(!one.load());
  REQUIRE(!two.load());
  one.set_node(1);
  two.set_node(2);
  const auto s = standalone.init({});
  const auto a = one.init({});
  const auto b = two.init({});
  REQUIRE((s.status.ok() && a.status.ok() && b.status.ok()));
  CHECK(s.identity.id == 0);
  CHECK(a.identity.id == (std::int64_t{1} << 32));
  CHECK(b.identity.id == (std::int64_t{2} << 32));
  CHECK(a.identity.id != b.identity.id);
  // A bump of its own id works; another node's id is refused, not bumped.
  const auto bumped = one.init(a.identity);
  REQUIRE(bumped.status.ok());
  CHECK(bumped.identity.id == a.identity.id);
  CHECK(bumped.identity.epoch == 1);
  CHECK(!one.init(b.identity).status.ok());
}

}  // namespace strata::broker
