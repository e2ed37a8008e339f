// A fresh directory under the system temp dir, removed (with everything in
// it) on destruction. Shared by the unit and integration tests.
// memory_backed_base() is a tmpfs (/dev/shm) when there is one: for tests
// that make thousands of files and fsyncs but test no disk behaviour.
#pragma once

#include <filesystem>
#include <string>

namespace strata::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "strata-test");
  // Under `base` instead of the system temp dir.
  TempDir(const std::filesystem::path& base, const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

[[nodiscard]] std::filesystem::path memory_backed_base();

}  // namespace strata::test
