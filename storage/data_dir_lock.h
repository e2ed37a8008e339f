// The exclusive lock a broker holds on its data directory for its whole
// life: flock(LOCK_EX) on `strata~lock` at the directory's root (the '~'
// keeps it apart from any topic name), whose text is the holder's PID.
//
// Two brokers on one directory both accepted writes, and the second's
// acknowledged records were lost at the next start; with this the second
// refuses to start, naming the first's PID. The kernel drops the lock when
// the holder exits, however it exits (kill -9 included), so a stale file
// never blocks a restart.
//
// Threads: acquire once at start-up, before anything in the directory is
// read or written; the lock lives as long as the object.
#pragma once

#include <filesystem>
#include <string>

namespace strata::storage {

inline constexpr const char* kLockFileName = "strata~lock";

class DataDirLock {
 public:
  DataDirLock() = default;
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

  // Locks `dir`/strata~lock, creating it, and writes this process's PID in
  // it. Returns "" on success; otherwise what stops it, for the operator
  // (another process holds it: its PID; or the system error). REQUIRES:
  // `dir` exists and this object holds no lock yet.
  [[nodiscard]] std::string acquire(const std::filesystem::path& dir);
  [[nodiscard]] bool held() const noexcept { return fd_ >= 0; }
  // Releases the lock; removes the file too if acquire() created it (a
  // broker that refuses a directory leaves it as it found it).
  void release_and_forget();

 private:
  int fd_ = -1;
  bool created_ = false;
  std::filesystem::path path_;
};

}  // namespace strata::storage
