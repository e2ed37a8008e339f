#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "storage/data_dir_format.h"
#include "storage/data_dir_identity.h"
#include "storage/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace strata::storage {

namespace {
std::string meta_text(const fs::path& dir) {
  std::ifstream in(dir / kMetaFileName);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("data dir identity: stamped once, then the same node passes and another node or cluster is refused") {
  test::TempDir dir;
  PosixFileSystem fs;
  REQUIRE(check_data_dir(fs, dir.path()).value().created);
  const DataDirIdentity me{"AAECAwQFBgcICQoLDA0ODw", 3};
  const auto first = check_data_dir_identity(fs, dir.path(), me);
  REQUIRE(first);
  CHECK(first.value().stamped);
  CHECK(first.value().refusal.empty());
  CHECK(meta_text(dir.path()).find("format.version=2\ncluster.id=AAECAwQFBgcICQoLDA0ODw\nnode.id=3\n") !=
        std::string::npos);
  // The format check still reads it.
  CHECK(check_data_dir(fs, dir.path()).value().refusal.empty());

  const auto again = check_data_dir_identity(fs, dir.path(), me);
  CHECK_FALSE(again.value().stamped);
  CHECK(again.value().refusal.empty());

  const auto other_node = check_data_dir_identity(fs, dir.path(), {me.cluster_id, 4});
  CHECK(other_node.value().refusal.find("belongs to node 3 of cluster AAECAwQFBgcICQoLDA0ODw") != std::string::npos);
  CHECK(other_node.value().refusal.find("this broker is node 4") != std::string::npos);
  const auto other_cluster = check_data_dir_identity(fs, dir.path(), {"BBECAwQFBgcICQoLDA0ODw", 3});
  CHECK_FALSE(other_cluster.value().refusal.empty());
  CHECK(meta_text(dir.path()).find("node.id=3\n") != std::string::npos);  // a refusal changes nothing
}

TEST_CASE("data dir identity: a meta file with only one of the two lines is refused, not completed") {
  test::TempDir dir;
  PosixFileSystem fs;
  std::ofstream(dir.path() / kMetaFileName) << "format.version=2\nnode.id=3\n";
  const auto r = check_data_dir_identity(fs, dir.path(), {"AAECAwQFBgcICQoLDA0ODw", 3});
  CHECK(r.value().refusal.find("of cluster ?") != std::string::npos);
}

}  // namespace strata::storage
