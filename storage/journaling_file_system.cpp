#include "storage/journaling_file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace strata::storage {

namespace {

// A File whose successful syncs are journalled with its inode and size.
class JournalingFile final : public File {
 public:
  JournalingFile(std::unique_ptr<File> base, JournalingFileSystem& journal)
      : base_(std::move(base)), journal_(journal) {}
  Result<std::size_t> read_at(std::uint64_t pos, MutableBytes buf) override { return base_->read_at(pos, buf); }
  std::error_code append(Bytes data) override { return base_->append(data); }
  std::error_code truncate(std::uint64_t size) override { return base_->truncate(size); }
  std::error_code sync() override {
    // The size before the sync: appends racing with it may or may not be
    // covered, so only what was there when it began counts as durable.
    const std::uint64_t size = base_->size();
    if (auto ec = base_->sync()) return ec;
    struct stat st {};
    if (::fstat(base_->native_handle(), &st) == 0) {
      journal_.record("F " + std::to_string(st.st_ino) + " " + std::to_string(size) + "\n");
    }
    return {};
  }
  void drop_cached(std::uint64_t begin, std::uint64_t end) noexcept override { base_->drop_cached(begin, end); }
  std::uint64_t size() const noexcept override { return base_->size(); }
  int native_handle() const noexcept override { return base_->native_handle(); }

 private:
  std::unique_ptr<File> base_;
  JournalingFileSystem& journal_;
};

}  // namespace

Result<std::unique_ptr<JournalingFileSystem>> JournalingFileSystem::open_journal(FileSystem& base, fs::path root,
                                                                                const fs::path& journal) {
  const int fd = ::open(journal.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return std::error_code(errno, std::generic_category());
  return std::unique_ptr<JournalingFileSystem>(new JournalingFileSystem(base, std::move(root), fd));
}

JournalingFileSystem::JournalingFileSystem(FileSystem& base, fs::path root, int fd)
    : base_(base), root_(std::move(root)), fd_(fd) {}

JournalingFileSystem::~JournalingFileSystem() { ::close(fd_); }

void JournalingFileSystem::record(const std::string& line) {
  std::lock_guard lock(mu_);
  // O_APPEND under the mutex keeps records whole and in order. A short
  // write leaves a torn last line, which the reader ignores.
  (void)::write(fd_, line.data(), line.size());
}

std::string JournalingFileSystem::directory_line(const fs::path& dir) {
  struct stat self {};
  if (::stat(dir.c_str(), &self) != 0) return {};
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return {};
  std::string line = "D " + std::to_string(self.st_ino);
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name(e->d_name);
    if (name == "." || name == "..") continue;
    line.append(" ").append(name).append("/").append(std::to_string(e->d_ino));
  }
  ::closedir(d);
  return line + "\n";
}

void JournalingFileSystem::describe_tree(const fs::path& dir, std::string& out) {
  const std::string line = directory_line(dir);
  if (line.empty()) return;
  out += line;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    struct stat st {};
    if (::lstat(e.path().c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      describe_tree(e.path(), out);
    } else if (S_ISREG(st.st_mode)) {
      out += "F " + std::to_string(st.st_ino) + " " + std::to_string(st.st_size) + "\n";
    }
  }
}

Result<std::unique_ptr<File>> JournalingFileSystem::open(const fs::path& path, OpenMode mode) {
  const bool created = mode == OpenMode::create_read_write && !base_.exists(path);
  auto file = base_.open(path, mode);
  if (!file) return file.error();
  if (created) {
    // A new file has nothing durable yet, whatever an older file that had
    // its inode number last synced.
    struct stat st {};
    if (::fstat(file.value()->native_handle(), &st) == 0) record("F " + std::to_string(st.st_ino) + " 0\n");
  }
  return std::unique_ptr<File>(std::make_unique<JournalingFile>(std::move(file).value(), *this));
}

std::error_code JournalingFileSystem::create_directories(const fs::path& dir) { return base_.create_directories(dir); }
Result<std::vector<std::string>> JournalingFileSystem::list(const fs::path& dir) { return base_.list(dir); }
std::error_code JournalingFileSystem::rename(const fs::path& from, const fs::path& to) {
  return base_.rename(from, to);
}
std::error_code JournalingFileSystem::remove(const fs::path& path) { return base_.remove(path); }
std::error_code JournalingFileSystem::remove_all(const fs::path& path) { return base_.remove_all(path); }
bool JournalingFileSystem::exists(const fs::path& path) { return base_.exists(path); }

std::error_code JournalingFileSystem::sync_directory(const fs::path& dir) {
  // Entries listed before the sync: one added while it runs may not be
  // covered by it.
  const std::string line = directory_line(dir);
  if (auto ec = base_.sync_directory(dir)) return ec;
  if (!line.empty()) record(line);
  return {};
}

std::error_code JournalingFileSystem::sync_filesystems(std::span<const fs::path> dirs) {
  // The tree as it is before syncfs, which makes at least all of it
  // durable: what changes while it runs is not counted (never too much).
  std::string tree;
  describe_tree(root_, tree);
  if (auto ec = base_.sync_filesystems(dirs)) return ec;
  // One write: a kill part-way leaves whole lines before a torn last one,
  // and each whole line is true on its own.
  if (!tree.empty()) record(tree);
  return {};
}

}  // namespace strata::storage
