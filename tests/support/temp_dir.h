// A fresh directory under the system temp dir, removed (with everything in
// it) on destruction. Shared by the unit and integration tests.
#pragma once

#include <filesystem>
#include <string>

namespace strata::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "strata-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace strata::test
