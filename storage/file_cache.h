// A bounded LRU of open files, so thousands of segments share a fixed number
// of descriptors (DESIGN decision 8). A handle handed out stays valid while
// the caller holds it, even if the cache evicts its entry meanwhile; so the
// descriptors open at once are at most capacity() plus those callers hold.
//
// Threads: one cache per shard, used from that shard's thread, and at
// start-up by the threads recovering its partitions in parallel: a mutex
// guards the LRU (uncontended once the broker serves).
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "storage/file_system.h"

namespace strata::storage {

class FileCache {
 public:
  // fs must outlive the cache. REQUIRES: capacity >= 1.
  FileCache(FileSystem& fs, std::size_t capacity);

  // Opens path (OpenMode::read_write) or returns the cached handle.
  [[nodiscard]] Result<std::shared_ptr<File>> get(const fs::path& path);
  // Creates the file if missing and caches the handle.
  [[nodiscard]] Result<std::shared_ptr<File>> create(const fs::path& path);
  // Drops the cached handle, e.g. before the file is renamed or deleted.
  void evict(const fs::path& path);

  [[nodiscard]] std::size_t size() const {
    std::lock_guard lock(mu_);
    return map_.size();
  }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] FileSystem& file_system() noexcept { return fs_; }

 private:
  Result<std::shared_ptr<File>> open(const fs::path& path, OpenMode mode);

  using Lru = std::list<std::pair<fs::path, std::shared_ptr<File>>>;
  mutable std::mutex mu_;
  FileSystem& fs_;
  std::size_t capacity_;
  Lru lru_;  // most recently used first
  std::unordered_map<std::string, Lru::iterator> map_;
};

}  // namespace strata::storage
