// The data directory says what it holds (storage/data_dir_format.h): a new
// one gets strata~meta with format.version=2; one of the old format (topics,
// no meta file) or of an unknown version is refused at start-up with a
// message naming what was found and what to do, and nothing in it changes.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/integration/broker_process.h"
#include "tests/support/temp_dir.h"

namespace strata::it {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Starting a broker on `dir` must fail; returns what it said.
std::string refusal(const fs::path& dir) {
  auto said = refused_start(dir);
  if (!said) FAIL("the broker started on " << dir);
  return said.value_or("");
}

// Every file under `dir` with its size and contents.
std::string tree(const fs::path& dir) {
  std::string out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    out += e.path().string() + (e.is_regular_file() ? " " + slurp(e.path()) : std::string(" dir")) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("data dir format: a new directory gets a meta file naming format 2, and starts again") {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  { BrokerProcess b(dir); }
  CHECK(slurp(dir / "strata~meta").find("format.version=2\n") != std::string::npos);
  BrokerProcess again(dir);
  CHECK(again.wait_for_log("listening on"));
  CHECK_FALSE(again.wait_for_log("not a topic directory"));
}

TEST_CASE("data dir format: a format-1 directory (topics, no meta file) is refused and left untouched") {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  fs::create_directories(dir / "orders" / "0");
  std::ofstream(dir / "orders" / "topic.conf") << "partitions=1\n";
  std::ofstream(dir / "orders" / "0" / "00000000000000000000.log") << "old little-endian batches";
  const std::string before = tree(dir);
  const std::string said = refusal(dir);
  CHECK(said.find("no strata~meta") != std::string::npos);
  CHECK(said.find("before format 2") != std::string::npos);
  CHECK(said.find("Nothing in it was changed") != std::string::npos);
  CHECK(said.find("move it aside") != std::string::npos);
  CHECK(tree(dir) == before);
}

TEST_CASE("data dir format: a version this build does not know is refused, naming both versions") {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  fs::create_directories(dir);
  std::ofstream(dir / "strata~meta") << "format.version=3\n";
  const std::string before = tree(dir);
  const std::string said = refusal(dir);
  CHECK(said.find("holds format 3") != std::string::npos);
  CHECK(said.find("reads only format 2") != std::string::npos);
  CHECK(tree(dir) == before);

  std::ofstream(dir / "strata~meta") << "garbage\n";
  CHECK(refusal(dir).find("names no format.version") != std::string::npos);
}

}  // namespace strata::it
