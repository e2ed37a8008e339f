#include "storage/fault_injection_file_system.h"

#include <algorithm>

namespace strata::storage {

struct FaultInjectionFileSystem::State {
  struct Tracked {
    std::uint64_t synced_size = 0;
    bool created_unsynced = false;  // directory entry not yet synced
    // Set when this name was renamed over an existing file and the
    // directory has not been synced since: a power loss brings back
    // these bytes (the old file), as a real file system would.
    std::optional<std::vector<std::uint8_t>> replaced_content;
  };
  std::mutex mu;
  std::map<fs::path, Tracked> files;
  std::optional<std::errc> next_write_error;
  std::optional<std::errc> sticky_write_error;
  std::optional<std::errc> next_sync_error;
  fs::path last_write_path;
  std::uint64_t last_write_offset = 0;
  std::uint64_t last_write_size = 0;
  std::uint64_t file_syncs = 0;
  std::uint64_t dir_syncs = 0;
  std::uint64_t fs_syncs = 0;

  std::error_code take_sync_error() {
    if (!next_sync_error) return {};
    auto e = std::make_error_code(*next_sync_error);
    next_sync_error.reset();
    return e;
  }
};

namespace {

using State = FaultInjectionFileSystem::State;

class FaultFile final : public File {
 public:
  FaultFile(std::unique_ptr<File> inner, fs::path path, std::shared_ptr<State> state)
      : inner_(std::move(inner)), path_(std::move(path)), state_(std::move(state)) {}

  Result<std::size_t> read_at(std::uint64_t pos, MutableBytes buf) override { return inner_->read_at(pos, buf); }

  std::error_code append(Bytes data) override {
    {
      std::lock_guard lock(state_->mu);
      if (state_->next_write_error) {
        auto e = std::make_error_code(*state_->next_write_error);
        state_->next_write_error.reset();
        return e;
      }
      if (state_->sticky_write_error) return std::make_error_code(*state_->sticky_write_error);
      state_->last_write_path = path_;
      state_->last_write_offset = inner_->size();
      state_->last_write_size = data.size();
    }
    return inner_->append(data);
  }

  std::error_code truncate(std::uint64_t size) override {
    std::lock_guard lock(state_->mu);
    auto& t = state_->files[path_];
    t.synced_size = std::min(t.synced_size, size);
    return inner_->truncate(size);
  }

  std::error_code sync() override {
    std::uint64_t size = 0;
    {
      std::lock_guard lock(state_->mu);
      if (auto e = state_->take_sync_error()) return e;
      ++state_->file_syncs;
      size = inner_->size();
    }
    if (auto e = inner_->sync()) return e;
    std::lock_guard lock(state_->mu);
    auto& t = state_->files[path_];
    t.synced_size = std::max(t.synced_size, size);
    return {};
  }

  void drop_cached(std::uint64_t begin, std::uint64_t end) noexcept override { inner_->drop_cached(begin, end); }
  std::uint64_t size() const noexcept override { return inner_->size(); }
  int native_handle() const noexcept override { return inner_->native_handle(); }

 private:
  std::unique_ptr<File> inner_;
  fs::path path_;
  std::shared_ptr<State> state_;
};

}  // namespace

FaultInjectionFileSystem::FaultInjectionFileSystem(FileSystem& base)
    : base_(base), state_(std::make_shared<State>()) {}
FaultInjectionFileSystem::~FaultInjectionFileSystem() = default;

Result<std::unique_ptr<File>> FaultInjectionFileSystem::open(const fs::path& path, OpenMode mode) {
  const bool existed = base_.exists(path);
  STRATA_TRY(auto inner, base_.open(path, mode));
  {
    std::lock_guard lock(state_->mu);
    if (!state_->files.contains(path)) {
      // Bytes already there when first seen are treated as durable.
      state_->files[path] = State::Tracked{inner->size(), !existed, std::nullopt};
    }
  }
  return std::unique_ptr<File>(new FaultFile(std::move(inner), path, state_));
}

std::error_code FaultInjectionFileSystem::create_directories(const fs::path& dir) {
  return base_.create_directories(dir);
}
Result<std::vector<std::string>> FaultInjectionFileSystem::list(const fs::path& dir) { return base_.list(dir); }

std::error_code FaultInjectionFileSystem::rename(const fs::path& from, const fs::path& to) {
  // What a power loss would bring back under `to`: its durable old self.
  std::optional<std::vector<std::uint8_t>> old_content;
  bool old_durable_name = base_.exists(to);
  {
    std::lock_guard lock(state_->mu);
    if (auto it = state_->files.find(to); it != state_->files.end()) {
      old_content = it->second.replaced_content;
      old_durable_name = old_durable_name && !it->second.created_unsynced;
      if (!old_content && old_durable_name) {
        STRATA_TRY(auto f, base_.open(to, OpenMode::read_write));
        std::vector<std::uint8_t> bytes(std::min(f->size(), it->second.synced_size));
        STRATA_TRY(auto n, f->read_at(0, bytes));
        bytes.resize(n);
        old_content = std::move(bytes);
      }
    } else if (old_durable_name) {
      STRATA_TRY(auto bytes, read_small_file(base_, to, std::size_t{1} << 30));
      old_content = std::move(bytes);
    }
  }
  if (auto e = base_.rename(from, to)) return e;
  std::lock_guard lock(state_->mu);
  auto node = state_->files.extract(from);
  state_->files.erase(to);
  if (!node.empty()) {
    node.key() = to;
    if (old_durable_name) {
      node.mapped().created_unsynced = false;
      node.mapped().replaced_content = std::move(old_content);
    }
    state_->files.insert(std::move(node));
  }
  return {};
}

std::error_code FaultInjectionFileSystem::remove(const fs::path& path) {
  if (auto e = base_.remove(path)) return e;
  std::lock_guard lock(state_->mu);
  state_->files.erase(path);
  return {};
}

std::error_code FaultInjectionFileSystem::remove_all(const fs::path& path) {
  if (auto e = base_.remove_all(path)) return e;
  std::lock_guard lock(state_->mu);
  std::erase_if(state_->files, [&](const auto& kv) {
    return kv.first.native().starts_with(path.native());
  });
  return {};
}

std::error_code FaultInjectionFileSystem::sync_directory(const fs::path& dir) {
  {
    std::lock_guard lock(state_->mu);
    if (auto e = state_->take_sync_error()) return e;
    ++state_->dir_syncs;
  }
  if (auto e = base_.sync_directory(dir)) return e;
  std::lock_guard lock(state_->mu);
  for (auto& [path, t] : state_->files) {
    if (path.parent_path() == dir) {
      t.created_unsynced = false;
      t.replaced_content.reset();
    }
  }
  return {};
}

std::error_code FaultInjectionFileSystem::sync_filesystems(std::span<const fs::path> dirs) {
  std::lock_guard lock(state_->mu);
  if (auto e = state_->take_sync_error()) return e;
  ++state_->fs_syncs;
  if (auto e = base_.sync_filesystems(dirs)) return e;
  for (auto& [path, t] : state_->files) {
    if (!base_.exists(path)) continue;
    STRATA_TRY(auto f, base_.open(path, OpenMode::read_write));
    t.synced_size = f->size();
    t.created_unsynced = false;
    t.replaced_content.reset();
  }
  return {};
}

bool FaultInjectionFileSystem::exists(const fs::path& path) { return base_.exists(path); }

void FaultInjectionFileSystem::fail_next_write(std::errc e) {
  std::lock_guard lock(state_->mu);
  state_->next_write_error = e;
}
void FaultInjectionFileSystem::set_write_error(std::optional<std::errc> e) {
  std::lock_guard lock(state_->mu);
  state_->sticky_write_error = e;
}
void FaultInjectionFileSystem::fail_next_sync(std::errc e) {
  std::lock_guard lock(state_->mu);
  state_->next_sync_error = e;
}

std::error_code FaultInjectionFileSystem::drop_unsynced() {
  std::lock_guard lock(state_->mu);
  for (auto it = state_->files.begin(); it != state_->files.end();) {
    const auto& [path, t] = *it;
    if (t.created_unsynced) {
      if (auto e = base_.remove(path)) return e;
      it = state_->files.erase(it);
      continue;
    }
    if (t.replaced_content) {
      STRATA_TRY(auto f, base_.open(path, OpenMode::read_write));
      if (auto e = f->truncate(0)) return e;
      if (auto e = f->append(*t.replaced_content)) return e;
      it->second.synced_size = t.replaced_content->size();
      it->second.replaced_content.reset();
      ++it;
      continue;
    }
    if (base_.exists(path)) {
      STRATA_TRY(auto f, base_.open(path, OpenMode::read_write));
      if (f->size() > t.synced_size) {
        if (auto e = f->truncate(t.synced_size)) return e;
      }
    }
    ++it;
  }
  return {};
}

std::error_code FaultInjectionFileSystem::tear_last_write(std::size_t keep_bytes) {
  std::lock_guard lock(state_->mu);
  if (state_->last_write_path.empty()) return std::make_error_code(std::errc::invalid_argument);
  STRATA_TRY(auto f, base_.open(state_->last_write_path, OpenMode::read_write));
  const std::uint64_t keep = std::min<std::uint64_t>(keep_bytes, state_->last_write_size);
  return f->truncate(state_->last_write_offset + keep);
}

std::error_code FaultInjectionFileSystem::flip_bit(const fs::path& path, std::uint64_t byte, unsigned bit) {
  STRATA_TRY(auto f, base_.open(path, OpenMode::read_write));
  if (byte >= f->size()) return std::make_error_code(std::errc::invalid_argument);
  std::uint8_t b = 0;
  STRATA_TRY(auto n, f->read_at(byte, MutableBytes{&b, 1}));
  if (n != 1) return std::make_error_code(std::errc::io_error);
  b = static_cast<std::uint8_t>(b ^ (1u << (bit & 7u)));
  // Rewrite the byte in place: truncate to it, append it and the rest.
  std::vector<std::uint8_t> tail(f->size() - byte);
  STRATA_TRY(auto m, f->read_at(byte, tail));
  tail.resize(m);
  tail[0] = b;
  if (auto e = f->truncate(byte)) return e;
  return f->append(tail);
}

std::uint64_t FaultInjectionFileSystem::file_syncs() const {
  std::lock_guard lock(state_->mu);
  return state_->file_syncs;
}
std::uint64_t FaultInjectionFileSystem::directory_syncs() const {
  std::lock_guard lock(state_->mu);
  return state_->dir_syncs;
}
std::uint64_t FaultInjectionFileSystem::filesystem_syncs() const {
  std::lock_guard lock(state_->mu);
  return state_->fs_syncs;
}

}  // namespace strata::storage
