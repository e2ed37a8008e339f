#include "tests/crash/power_cut.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "storage/data_dir_lock.h"
#include "storage/journaling_file_system.h"

namespace strata::crash {

namespace fs = std::filesystem;

namespace {

struct Journal {
  std::map<std::uint64_t, std::uint64_t> durable_size;  // inode -> size
  std::map<std::uint64_t, std::set<std::pair<std::string, std::uint64_t>>> entries;  // dir inode -> name/inode
};

Journal read_journal(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the durability journal " + path.string());
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Journal j;
  std::size_t at = 0;
  while (true) {
    const std::size_t nl = all.find('\n', at);
    if (nl == std::string::npos) break;  // a torn last line is no record
    std::istringstream line(all.substr(at, nl - at));
    at = nl + 1;
    std::string kind;
    std::uint64_t ino = 0;
    line >> kind >> ino;
    if (kind == "F") {
      std::uint64_t size = 0;
      if (line >> size) j.durable_size[ino] = size;
    } else if (kind == "D") {
      auto& set = j.entries[ino];
      set.clear();
      std::string entry;
      while (line >> entry) {
        const auto slash = entry.rfind('/');
        if (slash != std::string::npos) set.emplace(entry.substr(0, slash), std::stoull(entry.substr(slash + 1)));
      }
    }
  }
  return j;
}

void cut_directory(const fs::path& dir, const Journal& j, PowerCutReport& report) {
  struct stat self {};
  if (::stat(dir.c_str(), &self) != 0) throw std::runtime_error("stat " + dir.string());
  static const std::set<std::pair<std::string, std::uint64_t>> kNone;
  const auto found = j.entries.find(self.st_ino);
  const auto& durable = found == j.entries.end() ? kNone : found->second;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name == storage::kLockFileName) continue;
    struct stat st {};
    if (::lstat(e.path().c_str(), &st) != 0) continue;
    if (!durable.contains({name, st.st_ino})) {
      fs::remove_all(e.path());
      ++report.entries_removed;
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      cut_directory(e.path(), j, report);
    } else if (S_ISREG(st.st_mode)) {
      const auto size = j.durable_size.find(st.st_ino);
      const auto keep = static_cast<std::uint64_t>(size == j.durable_size.end() ? 0 : size->second);
      if (static_cast<std::uint64_t>(st.st_size) > keep) {
        if (::truncate(e.path().c_str(), static_cast<off_t>(keep)) != 0) {
          throw std::runtime_error("truncate " + e.path().string());
        }
        ++report.files_cut;
        report.bytes_dropped += static_cast<std::uint64_t>(st.st_size) - keep;
      }
    }
  }
}

}  // namespace

std::string PowerCutReport::describe() const {
  return std::to_string(files_cut) + " files cut back (" + std::to_string(bytes_dropped) + " bytes), " +
         std::to_string(entries_removed) + " entries removed";
}

PowerCutReport power_cut(const fs::path& data_dir, const fs::path& journal) {
  const Journal j = read_journal(journal);
  PowerCutReport report;
  cut_directory(data_dir, j, report);
  std::string survived;
  storage::JournalingFileSystem::describe_tree(data_dir, survived);
  std::ofstream(journal, std::ios::trunc) << survived;
  return report;
}

}  // namespace strata::crash
