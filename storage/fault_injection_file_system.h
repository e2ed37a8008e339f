// A FileSystem that wraps another and can simulate what disks and crashes do
// (DESIGN decision 7): lose what was never synced, tear the last write, flip
// a bit, fail the next write or fsync with a chosen errno.
//
// Threads: all methods are safe to call concurrently (one mutex). Files
// opened before a crash simulation must be closed before drop_unsynced().
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "storage/file_system.h"

namespace strata::storage {

class FaultInjectionFileSystem final : public FileSystem {
 public:
  // base must outlive this object.
  explicit FaultInjectionFileSystem(FileSystem& base);
  ~FaultInjectionFileSystem() override;

  Result<std::unique_ptr<File>> open(const fs::path& path, OpenMode mode) override;
  std::error_code create_directories(const fs::path& dir) override;
  Result<std::vector<std::string>> list(const fs::path& dir) override;
  std::error_code rename(const fs::path& from, const fs::path& to) override;
  std::error_code remove(const fs::path& path) override;
  std::error_code remove_all(const fs::path& path) override;
  std::error_code sync_directory(const fs::path& dir) override;
  // The simulated disk is one file system: every file opened through this
  // object becomes durable at its current size, every directory entry too.
  std::error_code sync_filesystems(std::span<const fs::path> dirs) override;
  bool exists(const fs::path& path) override;

  // The next append (to any file) fails with e and writes nothing.
  void fail_next_write(std::errc e);
  // Every append fails with e until cleared with std::nullopt (a full disk).
  void set_write_error(std::optional<std::errc> e);
  // The next file, directory or file-system sync fails with e.
  void fail_next_sync(std::errc e);

  // Power loss: every file opened through this object is cut back to what
  // was last synced; files created since their directory was last synced
  // disappear.
  [[nodiscard]] std::error_code drop_unsynced();
  // Cuts the most recent append back so only keep_bytes of it remain.
  [[nodiscard]] std::error_code tear_last_write(std::size_t keep_bytes);
  // Flips one bit of a file in place, behind every open handle's back.
  [[nodiscard]] std::error_code flip_bit(const fs::path& path, std::uint64_t byte, unsigned bit);

  [[nodiscard]] std::uint64_t file_syncs() const;
  [[nodiscard]] std::uint64_t directory_syncs() const;
  [[nodiscard]] std::uint64_t filesystem_syncs() const;

  struct State;

 private:
  FileSystem& base_;
  std::shared_ptr<State> state_;
};

}  // namespace strata::storage
