#include "tests/support/temp_dir.h"

#include <unistd.h>

#include <atomic>
#include <random>

namespace strata::test {

TempDir::TempDir(const std::string& prefix) : TempDir(std::filesystem::temp_directory_path(), prefix) {}

TempDir::TempDir(const std::filesystem::path& base, const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  path_ = base / (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

std::filesystem::path memory_backed_base() {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec)) return "/dev/shm";
  return std::filesystem::temp_directory_path();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace strata::test
