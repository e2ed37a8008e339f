#include "storage/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace strata::storage {
namespace {

// The PID written in the lock file, or "" when it has none yet (the holder
// locks first, then writes).
std::string read_holder(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return {};
  std::string text(buf, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (const char c : text) {
    if (c < '0' || c > '9') return {};
  }
  return text;
}

}  // namespace

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::string DataDirLock::acquire(const std::filesystem::path& dir) {
  path_ = dir / kLockFileName;
  int fd = ::open(path_.c_str(), O_RDWR | O_CLOEXEC | O_CREAT | O_EXCL, 0644);
  created_ = fd >= 0;
  if (fd < 0 && errno == EEXIST) fd = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return "cannot open the data directory's lock file " + path_.string() + ": " + std::strerror(errno) +
           "; check the directory's permissions";
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string holder = read_holder(fd);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return "the data directory " + dir.string() + " is in use by another strata-broker (" +
             (holder.empty() ? std::string("PID not written yet") : "PID " + holder) + ", holding " +
             path_.string() + "): two brokers on one directory lose acknowledged data. Stop that broker, or give "
             "this one another --data-dir";
    }
    return "cannot lock " + path_.string() + ": " + std::strerror(err);
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int err = errno;
    ::close(fd);
    return "cannot write this broker's PID into " + path_.string() + ": " + std::strerror(err);
  }
  fd_ = fd;
  return {};
}

void DataDirLock::release_and_forget() {
  if (fd_ < 0) return;
  // Unlinked while still locked, so no other broker can lock this inode
  // and believe it holds the directory.
  if (created_) ::unlink(path_.c_str());
  ::close(fd_);
  fd_ = -1;
}

}  // namespace strata::storage
