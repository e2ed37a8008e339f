// The real file system: POSIX calls, errors as std::system_category codes.
#pragma once

#include "storage/file_system.h"

namespace strata::storage {

class PosixFileSystem final : public FileSystem {
 public:
  Result<std::unique_ptr<File>> open(const fs::path& path, OpenMode mode) override;
  std::error_code create_directories(const fs::path& dir) override;
  Result<std::vector<std::string>> list(const fs::path& dir) override;
  std::error_code rename(const fs::path& from, const fs::path& to) override;
  std::error_code remove(const fs::path& path) override;
  std::error_code remove_all(const fs::path& path) override;
  std::error_code sync_directory(const fs::path& dir) override;
  std::error_code sync_filesystems(std::span<const fs::path> dirs) override;
  bool exists(const fs::path& path) override;
};

}  // namespace strata::storage
