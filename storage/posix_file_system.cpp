#include "storage/posix_file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>

namespace strata::storage {
namespace {

std::error_code last_error() noexcept { return {errno, std::system_category()}; }

class PosixFile final : public File {
 public:
  PosixFile(int fd, std::uint64_t size) noexcept : fd_(fd), size_(size) {}
  ~PosixFile() override { ::close(fd_); }

  Result<std::size_t> read_at(std::uint64_t pos, MutableBytes buf) override {
    std::size_t done = 0;
    while (done < buf.size()) {
      const ssize_t n = ::pread(fd_, buf.data() + done, buf.size() - done, static_cast<off_t>(pos + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return last_error();
      }
      if (n == 0) break;
      done += static_cast<std::size_t>(n);
    }
    return done;
  }

  std::error_code append(Bytes data) override {
    std::size_t done = 0;
    const std::uint64_t at = size_.load(std::memory_order_relaxed);
    while (done < data.size()) {
      const ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(at + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return last_error();
      }
      done += static_cast<std::size_t>(n);
    }
    size_.store(at + done, std::memory_order_release);
    return {};
  }

  std::error_code truncate(std::uint64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return last_error();
    size_.store(size, std::memory_order_release);
    return {};
  }

  std::error_code sync() override {
    if (::fdatasync(fd_) != 0) return last_error();
    return {};
  }

  void drop_cached(std::uint64_t begin, std::uint64_t end) noexcept override {
    // Length 0 would mean "to the end of the file".
    if (end > begin) {
      (void)::posix_fadvise(fd_, static_cast<off_t>(begin), static_cast<off_t>(end - begin), POSIX_FADV_DONTNEED);
    }
  }

  std::uint64_t size() const noexcept override { return size_.load(std::memory_order_acquire); }
  int native_handle() const noexcept override { return fd_; }

 private:
  int fd_;
  std::atomic<std::uint64_t> size_;
};

}  // namespace

Result<std::unique_ptr<File>> PosixFileSystem::open(const fs::path& path, OpenMode mode) {
  int flags = O_RDWR | O_CLOEXEC;
  if (mode == OpenMode::create_read_write) flags |= O_CREAT;
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) return last_error();
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    auto ec = last_error();
    ::close(fd);
    return ec;
  }
  return std::unique_ptr<File>(new PosixFile(fd, static_cast<std::uint64_t>(st.st_size)));
}

std::error_code PosixFileSystem::create_directories(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  return ec;
}

Result<std::vector<std::string>> PosixFileSystem::list(const fs::path& dir) {
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) return ec;
  return names;
}

std::error_code PosixFileSystem::rename(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return last_error();
  return {};
}

std::error_code PosixFileSystem::remove(const fs::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return last_error();
  return {};
}

std::error_code PosixFileSystem::remove_all(const fs::path& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  return ec;
}

std::error_code PosixFileSystem::sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return last_error();
  std::error_code ec;
  if (::fsync(fd) != 0) ec = last_error();
  ::close(fd);
  return ec;
}

std::error_code PosixFileSystem::sync_filesystems(std::span<const fs::path> dirs) {
  // Linux >= 5.8 reports writeback errors from syncfs (errseq on the super
  // block, sampled when fd is opened: an error nobody has seen yet is still
  // reported to a new opener).
  std::vector<dev_t> synced;
  for (const auto& dir : dirs) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return last_error();
    if (std::find(synced.begin(), synced.end(), st.st_dev) != synced.end()) continue;
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return last_error();
    std::error_code ec;
    if (::syncfs(fd) != 0) ec = last_error();
    ::close(fd);
    if (ec) return ec;
    synced.push_back(st.st_dev);
  }
  return {};
}

bool PosixFileSystem::exists(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace strata::storage
