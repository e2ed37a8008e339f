#include "storage/file_cache.h"

#include <cassert>

namespace strata::storage {

FileCache::FileCache(FileSystem& fs, std::size_t capacity) : fs_(fs), capacity_(capacity) {
  assert(capacity_ >= 1);
}

Result<std::shared_ptr<File>> FileCache::get(const fs::path& path) { return open(path, OpenMode::read_write); }

Result<std::shared_ptr<File>> FileCache::create(const fs::path& path) {
  return open(path, OpenMode::create_read_write);
}

Result<std::shared_ptr<File>> FileCache::open(const fs::path& path, OpenMode mode) {
  std::lock_guard lock(mu_);
  if (auto it = map_.find(path.native()); it != map_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->second;
  }
  STRATA_TRY(auto file, fs_.open(path, mode));
  while (map_.size() >= capacity_) {
    map_.erase(lru_.back().first.native());
    lru_.pop_back();
  }
  std::shared_ptr<File> shared(std::move(file));
  lru_.emplace_front(path, shared);
  map_.emplace(path.native(), lru_.begin());
  return shared;
}

void FileCache::evict(const fs::path& path) {
  std::lock_guard lock(mu_);
  if (auto it = map_.find(path.native()); it != map_.end()) {
    lru_.erase(it->second);
    map_.erase(it);
  }
}

}  // namespace strata::storage
