// The power-loss simulation itself: what the journal says a sync made
// durable survives power_cut, nothing else does.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <fstream>

#include "storage/journaling_file_system.h"
#include "storage/posix_file_system.h"
#include "tests/crash/power_cut.h"
#include "tests/support/temp_dir.h"

namespace strata::crash {

namespace {

void append(storage::File& f, std::size_t n, std::uint8_t byte) {
  const std::vector<std::uint8_t> data(n, byte);
  REQUIRE(!f.append(protocol::Bytes(data)));
}

}  // namespace

TEST_CASE("power cut: files keep what a sync covered, entries only what a directory sync covered") {
  test::TempDir d{"strata-power-cut"};
  const auto root = d.path() / "data";
  const auto journal = d.path() / "journal";
  storage::PosixFileSystem posix;
  REQUIRE(!posix.create_directories(root / "topic"));
  {
    auto jfs = storage::JournalingFileSystem::open_journal(posix, root, journal).value();
    auto synced = jfs->open(root / "topic" / "synced.log", storage::OpenMode::create_read_write).value();
    append(*synced, 100, 1);
    REQUIRE(!synced->sync());
    append(*synced, 50, 2);  // never synced
    REQUIRE(!jfs->sync_directory(root / "topic"));
    REQUIRE(!jfs->sync_directory(root));
    auto late = jfs->open(root / "topic" / "late.log", storage::OpenMode::create_read_write).value();
    append(*late, 10, 3);
    REQUIRE(!late->sync());  // its data, but no directory sync names it
    REQUIRE(!jfs->create_directories(root / "made-later"));
  }
  const PowerCutReport r = power_cut(root, journal);
  CHECK(std::filesystem::file_size(root / "topic" / "synced.log") == 100);
  CHECK(!std::filesystem::exists(root / "topic" / "late.log"));
  CHECK(!std::filesystem::exists(root / "made-later"));
  CHECK(r.files_cut == 1);
  CHECK(r.bytes_dropped == 50);
  CHECK(r.entries_removed == 2);
  // What survived is durable now: a second cut drops nothing.
  const PowerCutReport again = power_cut(root, journal);
  CHECK(again.files_cut == 0);
  CHECK(again.entries_removed == 0);
}

TEST_CASE("power cut: a file-system sync makes the whole tree durable as it was") {
  test::TempDir d{"strata-power-cut"};
  const auto root = d.path() / "data";
  const auto journal = d.path() / "journal";
  storage::PosixFileSystem posix;
  REQUIRE(!posix.create_directories(root / "t" / "0"));
  {
    auto jfs = storage::JournalingFileSystem::open_journal(posix, root, journal).value();
    auto f = jfs->open(root / "t" / "0" / "a.log", storage::OpenMode::create_read_write).value();
    append(*f, 70, 1);
    const std::vector<std::filesystem::path> dirs{root};
    REQUIRE(!jfs->sync_filesystems(dirs));
    append(*f, 30, 2);
  }
  const PowerCutReport r = power_cut(root, journal);
  CHECK(std::filesystem::file_size(root / "t" / "0" / "a.log") == 70);
  CHECK(r.entries_removed == 0);
}

}  // namespace strata::crash

namespace strata::crash {

TEST_CASE("power cut: a new file starts with nothing durable, whatever an old file with its inode number synced") {
  test::TempDir d{"strata-power-cut"};
  const auto root = d.path() / "data";
  const auto journal = d.path() / "journal";
  storage::PosixFileSystem posix;
  REQUIRE(!posix.create_directories(root));
  auto jfs = storage::JournalingFileSystem::open_journal(posix, root, journal).value();
  auto f = jfs->open(root / "new.log", storage::OpenMode::create_read_write).value();
  struct stat st {};
  REQUIRE(::fstat(f->native_handle(), &st) == 0);
  // A freed inode number comes back for new files: without this record a
  // stale "F <inode> <size>" of the old file would count for the new one
  // (a crash test once cut a new segment to an old checkpoint's length).
  std::ifstream in(journal);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("F " + std::to_string(st.st_ino) + " 0\n") != std::string::npos);
  // Opening it again (it exists) records nothing new.
  f.reset();
  (void)jfs->open(root / "new.log", storage::OpenMode::create_read_write).value();
  std::ifstream again(journal);
  const std::string text2((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
  CHECK(text2 == text);
}

}  // namespace strata::crash
