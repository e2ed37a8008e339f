#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include <fstream>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/lease_file.h"
#include "storage/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace strata::cluster {

TEST_CASE("lease file: absent, written, replaced, and refused when it is not one lease.id line") {
  test::TempDir dir;
  storage::PosixFileSystem fs;
  CHECK_FALSE(read_lease_file(fs, dir.path()).value().has_value());
  REQUIRE_FALSE(write_lease_file(fs, dir.path(), 7587869938475737859));
  CHECK(read_lease_file(fs, dir.path()).value() == 7587869938475737859);
  REQUIRE_FALSE(write_lease_file(fs, dir.path(), 5));
  CHECK(read_lease_file(fs, dir.path()).value() == 5);
  for (const char* text : {"", "lease.id=\n", "lease.id=5", "lease.id=-5\n", "lease.id=0\n", "lease.id=5x\n",
                           "lease.id=99999999999999999999\n", "id=5\n"}) {
    CAPTURE(text);
    std::ofstream(dir.path() / kLeaseFileName, std::ios::trunc) << text;
    CHECK(read_lease_file(fs, dir.path()).error() == make_error_code(ClusterErrc::bad_value));
  }
  std::ofstream(dir.path() / kLeaseFileName, std::ios::trunc) << std::string(1000, '1');
  CHECK_FALSE(read_lease_file(fs, dir.path()));  // larger than any lease line: not read whole
}

}  // namespace strata::cluster
