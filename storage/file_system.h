// The only door from storage to the disk (DESIGN decision 7). PosixFileSystem
// is the real one; FaultInjectionFileSystem wraps it for tests.
//
// Threads: a File may be read (read_at) and synced from any thread while its
// owner appends; append and truncate come from one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "protocol/byte_io.h"
#include "protocol/base/result.h"

namespace strata::storage {

using protocol::Bytes;
using protocol::MutableBytes;
namespace fs = std::filesystem;

class File {
 public:
  virtual ~File() = default;
  File() = default;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  // Reads up to buf.size() bytes at pos; fewer only at end of file.
  [[nodiscard]] virtual Result<std::size_t> read_at(std::uint64_t pos, MutableBytes buf) = 0;
  // Writes all of data at the end of the file, or fails. On failure some
  // bytes may have been written: the caller truncates back.
  [[nodiscard]] virtual std::error_code append(Bytes data) = 0;
  [[nodiscard]] virtual std::error_code truncate(std::uint64_t size) = 0;
  // fdatasync. Never retried by callers after a failure (DESIGN decision 4).
  [[nodiscard]] virtual std::error_code sync() = 0;
  // A hint that [begin, end) will not be read soon: its clean cached pages
  // may be dropped (dirty ones stay). Never changes what the file holds.
  virtual void drop_cached(std::uint64_t begin, std::uint64_t end) noexcept = 0;
  // Size as this handle has appended or truncated it.
  [[nodiscard]] virtual std::uint64_t size() const noexcept = 0;
  // The descriptor for sendfile(2).
  [[nodiscard]] virtual int native_handle() const noexcept = 0;
};

enum class OpenMode {
  read_write,         // must exist
  create_read_write,  // created empty if missing
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  [[nodiscard]] virtual Result<std::unique_ptr<File>> open(const fs::path& path, OpenMode mode) = 0;
  [[nodiscard]] virtual std::error_code create_directories(const fs::path& dir) = 0;
  // File names (not paths) in dir, in no particular order.
  [[nodiscard]] virtual Result<std::vector<std::string>> list(const fs::path& dir) = 0;
  [[nodiscard]] virtual std::error_code rename(const fs::path& from, const fs::path& to) = 0;
  // Removing a missing file is not an error.
  [[nodiscard]] virtual std::error_code remove(const fs::path& path) = 0;
  [[nodiscard]] virtual std::error_code remove_all(const fs::path& path) = 0;
  [[nodiscard]] virtual std::error_code sync_directory(const fs::path& dir) = 0;
  // syncfs(2) on every file system holding one of dirs, each once: on
  // success every write made before the call to any file or directory
  // there is durable. An error means some of it may not be (which, is not
  // known): the caller must treat everything written since its last
  // successful per-file sync as lost.
  [[nodiscard]] virtual std::error_code sync_filesystems(std::span<const fs::path> dirs) = 0;
  [[nodiscard]] virtual bool exists(const fs::path& path) = 0;
};

// Reads a whole (small) file; errors if it is larger than max_bytes.
[[nodiscard]] Result<std::vector<std::uint8_t>> read_small_file(FileSystem& fs, const fs::path& path,
                                                                std::size_t max_bytes);

// Replaces path with data via a temporary file and rename, so a reader sees
// the old or the new contents, never a mix. With durable=true the file and
// its directory are synced too. Writers that may run at the same time must
// use different tmp_suffix values.
[[nodiscard]] std::error_code replace_file(FileSystem& fs, const fs::path& path, Bytes data, bool durable,
                                           std::string_view tmp_suffix = ".tmp");

}  // namespace strata::storage
