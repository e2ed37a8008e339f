// A FileSystem for power-loss tests of whole broker processes: it wraps
// another and appends to a journal, after every successful sync, what that
// sync made durable: a file's size (file sync), a directory's entries
// (directory sync), or everything under the data directory (file-system
// sync). A test kills the broker with SIGKILL (the page cache survives
// that, so the journal is complete without being synced itself), then cuts
// the data directory back to what the journal says survived a power loss
// (tests/crash/power_cut.h) and restarts the broker on it: what strata
// acknowledged as durable must still be there.
//
// Journal lines, appended under a mutex (one write(2) per record):
//   F <inode> <size>                      the file is durable up to size
//                                         (size 0 when a file is created:
//                                         its inode number may be an old
//                                         file's)
//   D <inode> [<name>/<inode> ...]        the directory's durable entries
// Names in the data directory never contain spaces or '/'.
//
// Threads: as FileSystem (File::sync from any thread). Test use only: the
// broker turns it on with test.durability.journal.
#pragma once

#include <memory>
#include <mutex>

#include "storage/file_system.h"

namespace strata::storage {

class JournalingFileSystem final : public FileSystem {
 public:
  // base must outlive this object. Fails if the journal cannot be opened.
  [[nodiscard]] static Result<std::unique_ptr<JournalingFileSystem>> open_journal(FileSystem& base, fs::path root,
                                                                                 const fs::path& journal);
  ~JournalingFileSystem() override;

  Result<std::unique_ptr<File>> open(const fs::path& path, OpenMode mode) override;
  std::error_code create_directories(const fs::path& dir) override;
  Result<std::vector<std::string>> list(const fs::path& dir) override;
  std::error_code rename(const fs::path& from, const fs::path& to) override;
  std::error_code remove(const fs::path& path) override;
  std::error_code remove_all(const fs::path& path) override;
  std::error_code sync_directory(const fs::path& dir) override;
  std::error_code sync_filesystems(std::span<const fs::path> dirs) override;
  bool exists(const fs::path& path) override;

  // Appends whole lines (each with its '\n'). Any thread.
  void record(const std::string& line);
  // "D <inode> name/inode ..." for dir as it is now; empty if unreadable.
  [[nodiscard]] static std::string directory_line(const fs::path& dir);
  // Appends to `out` every file's size and every directory's entries
  // under dir, as journal lines.
  static void describe_tree(const fs::path& dir, std::string& out);

 private:
  JournalingFileSystem(FileSystem& base, fs::path root, int fd);

  FileSystem& base_;
  fs::path root_;
  int fd_;
  std::mutex mu_;
};

}  // namespace strata::storage
